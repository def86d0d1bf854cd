"""SE MenPANRB 3/2023: a unit leader's rating hasil kerja follows the unit's capaian kinerja organisasi."""

import pytest

from kinerja_web.domain.predikat import Ekspektasi, PredikatOrganisasi, hasil_kerja_pimpinan


@pytest.mark.parametrize(
    ("organisasi", "hasil"),
    [
        (PredikatOrganisasi.ISTIMEWA, Ekspektasi.DI_ATAS),
        (PredikatOrganisasi.BAIK, Ekspektasi.SESUAI),
        (PredikatOrganisasi.BUTUH_PERBAIKAN, Ekspektasi.DI_BAWAH),
        (PredikatOrganisasi.KURANG, Ekspektasi.DI_BAWAH),
        (PredikatOrganisasi.SANGAT_KURANG, Ekspektasi.DI_BAWAH),
    ],
)
def test_leader_hasil_kerja_follows_the_organisation_predikat(organisasi, hasil):
    assert hasil_kerja_pimpinan(organisasi) is hasil
