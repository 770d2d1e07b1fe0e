"""CSRF, rate limits, headers and error pages."""

import re

import pytest

from participate.extensions import db
from tests import factories as f
from tests.conftest import make_app


@pytest.fixture
def csrf_client(database_url, tmp_path):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def _token(client, url="/sign-in"):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_post_without_csrf_token_is_refused_and_changes_nothing(csrf_client):
    sam = f.person("Sam")
    db.session.commit()
    response = csrf_client.post("/sign-in", data={"email": sam.email, "password": f.PASSWORD})
    assert response.status_code == 400
    assert "This form had expired" in response.get_data(as_text=True)
    assert "Hello, Sam" not in csrf_client.get("/").get_data(as_text=True)


def test_post_with_the_form_token_or_the_htmx_header_works(csrf_client):
    sam = f.person("Sam")
    db.session.commit()
    token = _token(csrf_client)
    response = csrf_client.post("/sign-in", data={"email": sam.email, "password": f.PASSWORD,
                                                  "csrf_token": token})
    assert response.status_code == 303
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"',
                             csrf_client.get("/").get_data(as_text=True)).group(1)
    response = csrf_client.post("/language", data={"language": "cy"},
                                headers={"X-CSRFToken": header_token, "HX-Request": "true"})
    assert response.status_code == 200 and "HX-Redirect" in response.headers
    bad = csrf_client.post("/language", data={"language": "en"},
                           headers={"X-CSRFToken": "forged", "HX-Request": "true"})
    assert bad.status_code == 400


def test_sign_in_is_rate_limited_with_a_clear_message(database_url):
    app = make_app(database_url, RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="3 per minute")
    with app.app_context():
        client = app.test_client()
        statuses = [client.post("/sign-in", data={"email": "a@example.org", "password": "x"}
                                ).status_code for _ in range(3)]
        assert statuses == [422, 422, 422]
        limited = client.post("/sign-in", data={"email": "a@example.org", "password": "x"})
        assert limited.status_code == 429
        assert "Please wait a minute, then try again." in limited.get_data(as_text=True)
        # The budget is shared: switching to codes or links doesn't get round it.
        assert client.post("/sign-in/code", data={"code": "ABCD-EFGH"}).status_code == 429
        assert client.post("/sign-in/email", data={"email": "a@example.org"}).status_code == 429
        # Reading the page is still fine.
        assert client.get("/sign-in").status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_security_headers_and_nonce_csp(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    page = response.get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all(f'nonce="{nonce}"' in s and "src=" in s for s in scripts)
    assert "unsafe-inline" not in csp and "style-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/sign-in").headers["Content-Security-Policy"] != csp  # fresh nonce


def test_no_inline_event_handlers_or_styles_in_pages(client):
    for url in ("/", "/sign-in", "/sign-in/email", "/sign-in/code", "/password/forgot"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"\son[a-z]+=", page), url
        assert not re.search(r"\sstyle=", page), url


def test_friendly_404_and_500_pages(database_url):
    app = make_app(database_url)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    with app.app_context():
        client = app.test_client()
        missing = client.get("/nowhere")
        assert missing.status_code == 404
        assert "We can&#39;t find that page" in missing.get_data(as_text=True)
        broken = client.get("/boom")
        assert broken.status_code == 500
        assert "It&#39;s not your fault" in broken.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()
