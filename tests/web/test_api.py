"""The JSON API against its own OpenAPI document, with schemathesis: every operation, on the
demo data, with generated (valid and invalid) places; every response must match the
document (status codes, content types, schemas). Also the document itself and a few answers."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from participate.demo import load
from participate.extensions import db
from participate.public import api, facts


def test_the_api_matches_its_document(app):
    """Every operation, with valid and invalid places and with the demo's place, on the demo: schemathesis's checks must all pass.
    (Hypothesis is driven here rather than through ``schema.parametrize()``: schemathesis's
    fixture-based lazy loading does not work with this pytest version, and the app and its
    database exist only inside a test.)"""
    load()
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 2 + len(facts.PLACE_TABLES)
    examples = []
    for operation in operations:
        strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
        if operation.path_parameters:
            strategies += [
                operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
                # a real place, so that real rows meet the schemas too
                operation.as_strategy(path_parameters={"slug": "porthaven-council"}),
            ]
        for strategy in strategies:

            @given(case=strategy)
            @settings(
                max_examples=8,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                case.call_and_validate()
                examples.append((case.operation.path, case.path_parameters))

            check()
    # the documented example reached the real place's lists
    assert ("/api/v1/places/{slug}/grants", {"slug": "porthaven-council"}) in examples


def test_the_document_describes_every_list_and_its_columns(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for table in facts.PLACE_TABLES:
        path = doc["paths"][f"/api/v1/places/{{slug}}/{table}"]["get"]
        assert {p["name"] for p in path["parameters"]} == {"slug"}
        assert set(path["responses"]) == {"200", "404"}
        row = doc["components"]["schemas"][api._schema_name(table)]
        assert set(row["properties"]) == set(row["required"]) == set(facts.columns(table))
        assert all(row["properties"][c]["description"] for c in facts.columns(table))
    assert set(doc["paths"]) == {
        "/api/v1/places",
        "/api/v1/places/{slug}",
        *(f"/api/v1/places/{{slug}}/{t}" for t in facts.PLACE_TABLES),
    }


def test_unknown_places_and_addresses_are_json_404s(app, client):
    load()
    db.session.commit()
    for url in ("/api/v1/places/nowhere", "/api/v1/places/nowhere/grants", "/api/v1/nothing"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.get_json()["error"] == "not_found"
    places = client.get("/api/v1/places").get_json()["places"]
    assert "porthaven-council" in {p["slug"] for p in places}


def test_the_api_is_read_only(app, client):
    load()
    db.session.commit()
    for url in ("/api/v1/places", "/api/v1/places/porthaven-council/grants"):
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405


def test_scripts_on_other_sites_may_read_it_without_cookies(app, client):
    load()
    db.session.commit()
    for url in (
        "/api/v1/places",
        "/api/v1/places/porthaven-council/grants",
        "/api/v1/openapi.json",
        "/api/v1/places/nowhere",
    ):
        response = client.get(url, headers={"Origin": "https://dashboard.example"})
        assert response.headers["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in response.headers
    # Only the API: the site's own pages stay closed to other sites' scripts.
    page = client.get("/places", headers={"Origin": "https://dashboard.example"})
    assert "Access-Control-Allow-Origin" not in page.headers
