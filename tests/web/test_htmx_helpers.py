"""``see_other``: a 303 for a plain form; for htmx a whole new page, never just a scroll."""

from __future__ import annotations

from participate.web.htmx import see_other


def test_a_plain_form_keeps_its_place_on_the_page(app):
    with app.test_request_context("/funds/x/grants/1/closing/report", method="POST"):
        response = see_other("/funds/x/grants/1/closing#report")
    assert (response.status_code, response.headers["Location"]) == (
        303, "/funds/x/grants/1/closing#report")


def test_htmx_on_the_same_page_loads_it_again_without_the_anchor(app):
    headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost/funds/x/grants/1/closing"}
    with app.test_request_context("/funds/x/grants/1/closing/report", method="POST",
                                  headers=headers):
        response = see_other("/funds/x/grants/1/closing#report")
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/funds/x/grants/1/closing"


def test_htmx_to_another_page_keeps_the_anchor(app):
    headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost/funds/x/apply"}
    with app.test_request_context("/funds/x/apply", method="POST", headers=headers):
        response = see_other("/funds/x/grants/3#offer")
    assert response.headers["HX-Redirect"] == "/funds/x/grants/3#offer"
