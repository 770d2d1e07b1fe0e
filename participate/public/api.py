"""The read-only JSON API: ``/api/v1/...``, the same public facts as the open-data ZIP.

GET only, no sign-in, open to scripts on other sites (CORS), and the same answer whoever
asks: every list comes from ``public/facts.py`` as an anonymous visitor sees it.
``/api/v1/openapi.json`` describes every path, parameter and response; its schemas are
written from ``facts.TABLES``, like the CSV headers and the README of the ZIP.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, url_for

from participate.clock import local_today
from participate.public import facts

bp = Blueprint("api", __name__, url_prefix="/api/v1")

SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


def not_found(message: str = "There is no such place with public facts."):
    response = jsonify({"error": "not_found", "message": message})
    response.status_code = 404
    return response


@bp.after_request
def _open_to_other_sites(response):
    """Any web page may read the API from its own scripts (CORS): the answers are public and
    the same for everyone, and ``*`` means browsers send no cookies with those requests."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _json(data: dict):
    response = jsonify(data)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/places")
def places():
    today = local_today()
    return _json(
        {
            "as_of": today.isoformat(),
            "places": [facts.plain(facts.place_row(o)) for o in facts.public_places(today)],
        }
    )


@bp.get("/places/<slug>")
def place(slug: str):
    org = facts.public_place(slug)
    if org is None:
        return not_found()
    today = local_today()
    return _json(
        {
            "as_of": today.isoformat(),
            "place": facts.plain(facts.place_row(org)),
            "counts": facts.place_counts(org, today),
            "open_data": url_for("opendata.download", slug=org.slug),
            "lists": {name: url_for(f"api.{name}", slug=org.slug) for name in facts.PLACE_TABLES},
        }
    )


def _list_view(table: str):
    def view(slug: str):
        org = facts.public_place(slug)
        if org is None:
            return not_found()
        today = local_today()
        rows = facts.TABLE_FUNCTIONS[table](org, today)
        return _json(
            {
                "place": org.slug,
                "as_of": today.isoformat(),
                "items": [facts.plain(row) for row in rows],
            }
        )

    view.__name__ = table
    view.__doc__ = f"The place's public {table}."
    return view


for _table in facts.PLACE_TABLES:
    bp.add_url_rule(f"/places/<slug>/{_table}", endpoint=_table, view_func=_list_view(_table))


@bp.get("/<path:rest>")
def unknown(rest: str):
    """Anything else under /api/v1/: a JSON 404."""
    return not_found("There is nothing at this address.")


@bp.get("/openapi.json")
def openapi():
    return _json(openapi_document())


# --- the OpenAPI document --------------------------------------------------------------------

_TYPES = {
    "integer": {"type": "integer"},
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}


def _row_schema(table: str) -> dict:
    about, cols = facts.TABLES[table]
    properties = {}
    for col in cols:
        kind = dict(_TYPES[col.type])
        if col.nullable:
            kind["type"] = [kind["type"], "null"]
        kind["description"] = col.about
        properties[col.name] = kind
    return {
        "type": "object",
        "description": about,
        "properties": properties,
        "required": [c.name for c in cols],
        "additionalProperties": False,
    }


def _schema_name(table: str) -> str:
    return table[:-1].capitalize() if table != "places" else "Place"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_NOT_FOUND = {
    "description": "No place with public facts has this slug.",
    "content": {"application/json": {"schema": _ref("NotFound")}},
}
_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The place's slug (an organisation's short name, e.g. porthaven-council).",
    "schema": {"type": "string", "pattern": SLUG_PATTERN, "minLength": 1, "maxLength": 80},
    "example": "porthaven-council",
}


def openapi_document() -> dict:
    """The OpenAPI 3.1 document of the API, as Python data."""
    schemas: dict = {
        "NotFound": {
            "type": "object",
            "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
            "required": ["error", "message"],
        },
        "Place": _row_schema("places"),
        "Places": {
            "type": "object",
            "properties": {
                "as_of": {"type": "string", "format": "date"},
                "places": {"type": "array", "items": _ref("Place")},
            },
            "required": ["as_of", "places"],
            "additionalProperties": False,
        },
        "PlaceSummary": {
            "type": "object",
            "properties": {
                "as_of": {"type": "string", "format": "date"},
                "place": _ref("Place"),
                "counts": {
                    "type": "object",
                    "description": "How many public rows each list has.",
                    "properties": {
                        name: {"type": "integer", "minimum": 0} for name in facts.PLACE_TABLES
                    },
                    "required": list(facts.PLACE_TABLES),
                    "additionalProperties": False,
                },
                "open_data": {"type": "string", "description": "The place's open-data ZIP."},
                "lists": {
                    "type": "object",
                    "description": "Where each list is.",
                    "properties": {name: {"type": "string"} for name in facts.PLACE_TABLES},
                    "required": list(facts.PLACE_TABLES),
                    "additionalProperties": False,
                },
            },
            "required": ["as_of", "place", "counts", "open_data", "lists"],
            "additionalProperties": False,
        },
    }
    paths: dict = {
        "/api/v1/places": {
            "get": {
                "operationId": "listPlaces",
                "summary": "Places with anything public",
                "responses": {"200": _ok("The places.", _ref("Places"))},
            }
        },
        "/api/v1/places/{slug}": {
            "get": {
                "operationId": "getPlace",
                "summary": "One place: how many public facts of each kind, and where they are",
                "parameters": [_SLUG],
                "responses": {
                    "200": _ok("The place.", _ref("PlaceSummary")),
                    "404": _NOT_FOUND,
                },
            }
        },
    }
    for table in facts.PLACE_TABLES:
        name = _schema_name(table)
        schemas[name] = _row_schema(table)
        schemas[f"{name}List"] = {
            "type": "object",
            "properties": {
                "place": {"type": "string", "description": "The place's slug."},
                "as_of": {"type": "string", "format": "date"},
                "items": {"type": "array", "items": _ref(name)},
            },
            "required": ["place", "as_of", "items"],
            "additionalProperties": False,
        }
        paths[f"/api/v1/places/{{slug}}/{table}"] = {
            "get": {
                "operationId": f"list{table.capitalize()}",
                "summary": facts.TABLES[table][0],
                "parameters": [_SLUG],
                "responses": {
                    "200": _ok(f"The place's public {table}.", _ref(f"{name}List")),
                    "404": _NOT_FOUND,
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Participate open data",
            "version": "1.0.0",
            "description": (
                "Read-only public facts about each place: PB rounds, projects and published "
                "results, published decisions and commitments, public funds, their grants and "
                "ledger movements. The same rows as each place's open-data ZIP. No sign-in; "
                "nothing private."
            ),
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }
