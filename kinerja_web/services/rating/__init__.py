"""Rating: the final rating and predikat, calibration and organisation predikat, keberatan, the rating lock and its documents."""

from sqlalchemy import exc

from ...extensions import db


def inserted(row) -> bool:
    """Add `row` in a savepoint of the caller's transaction; False when a unique key stops it (a second tab or a
    double click got there first), the transaction otherwise intact."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except exc.IntegrityError:
        return False
    return True
