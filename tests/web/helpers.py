"""Shared helpers for web tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    """One row of a role × route access matrix."""

    name: str
    method: str
    path: object  # callable(ns) -> str
    ok: int  # status for allowed actors
    allowed: frozenset  # actors that may use it; the other logged-in actors get `denied`
    denied: int = 403
    outsider: frozenset = frozenset()  # actors who get 404 (may not know the record exists)
    data: object = None  # dict or callable(ns) -> dict

    def __str__(self) -> str:
        return self.name


def employee_form_data(ns) -> dict:
    """A complete, valid edit form for `ns.staff1` of the org_chart fixture."""
    e = ns.staff1
    return {
        "nip": e.nip,
        "name": e.name,
        "status_asn": "pns",
        "gender": "L",
        "birth_date": e.birth_date.isoformat(),
        "tmt_cpns": e.tmt_cpns.isoformat(),
        "golongan": "III/a",
        "mkg_years": "0",
        "mkg_months": "0",
        "opd_id": str(ns.opd.id),
        "position_id": str(e.position_id),
        "version_id": str(e.version_id),
        "action": "simpan",
    }


def form_values(html: str, action: str) -> dict[str, str | list[str]]:
    """The values a browser would send from the page's form posting to `action` (a path; a form without an action
    attribute counts as posting to it): text inputs, checked
    boxes (a list when a name repeats), the selected option (the first one when none is marked) and textareas."""
    from html.parser import HTMLParser

    class _Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside = False
            self.values: dict[str, list[str]] = {}
            self.select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
            self.option: str | None = None
            self.textarea: str | None = None

        def _add(self, name, value):
            self.values.setdefault(name, []).append(value)

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                # a form without an action posts to the page itself: the caller names the page's path
                self.inside = "action" not in a or (a.get("action") or "").split("?")[0] == action
            elif not self.inside:
                return
            elif tag == "input" and a.get("name"):
                kind = (a.get("type") or "text").lower()
                if kind in ("checkbox", "radio"):
                    if "checked" in a:
                        self._add(a["name"], a.get("value") or "on")
                elif kind not in ("submit", "button", "file"):
                    self._add(a["name"], a.get("value") or "")
            elif tag == "select" and a.get("name"):
                self.select = (a["name"], [], [])
            elif tag == "option" and self.select is not None:
                self.option = a.get("value")
                self.select[1].append(self.option or "")
                if "selected" in a:
                    self.select[2].append(self.option or "")
            elif tag == "textarea" and a.get("name"):
                self.textarea = a["name"]
                self._add(self.textarea, "")

        def handle_data(self, data):
            if self.textarea:
                self.values[self.textarea][-1] += data

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "select" and self.select is not None:
                name, options, selected = self.select
                self._add(name, (selected or options or [""])[0])
                self.select = None
            elif tag == "textarea":
                self.textarea = None

    parser = _Form()
    parser.feed(html)
    return {k: v[0] if len(v) == 1 else v for k, v in parser.values.items()}


def assert_form_kept(html: str, action: str, submitted: dict) -> None:
    """Every submitted field shows again on the re-rendered form with the value the user sent (a checkbox left
    out of `submitted` stays unchecked)."""
    shown = form_values(html, action)
    lost = {k: (v, shown.get(k)) for k, v in submitted.items() if str(shown.get(k, "")).strip() != str(v).strip()}
    assert not lost, f"values lost or changed on re-render (sent, shown): {lost}"


def assert_refusal_keeps(client, page: str, action: str, changes: dict, expect: str | None = None):
    """Open `page`, send its form posting to `action` as a browser would with `changes` typed in (one of them
    invalid), and check the refusal (422, `expect` shown) re-renders every field with what was sent."""
    sent = {**form_values(client.get(page).get_data(as_text=True), action), **changes}
    r = client.post(action, data=sent)
    html = r.get_data(as_text=True)
    assert r.status_code == 422, (r.status_code, html[:500])
    if expect is not None:
        assert expect in html
    assert_form_kept(html, action, sent)
    return r
