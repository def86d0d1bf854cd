def test_login_page_renders_in_indonesian(client):
    r = client.get("/masuk")
    assert r.status_code == 200
    assert "Masuk ke Kinerja" in r.get_data(as_text=True)


def test_dashboard_shows_appraiser_for_staff(app, org_chart):
    r = app.test_client(user=org_chart.u_staff).get("/")
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Kasi Uji" in body
