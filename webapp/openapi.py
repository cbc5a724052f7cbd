"""The OpenAPI 3.0 document of the API (served at ``/openapi``), with typed parameters."""

from __future__ import annotations

from geo.events.model import EDITABLE_FIELDS, EVENT_TYPES, ID_PATTERN, ID_RULE, STATUSES
from geo.formats import FORMATS
from webapp import items_params, params
from webapp.geocoding import GEOCODE_BATCH_PARAMETERS, GEOCODE_PARAMETERS
from webapp.writes import DELETE_PARAMETERS

_TEXT_TYPES = ("text/", "application/vnd.google-earth.kml")


def _export_media():
    """Return the items response's content: GeoJSON pages and every registered export."""
    content = {"application/geo+json": {"schema": _ref("schemas/FeatureCollection")}}
    for fmt in FORMATS.values():
        media = fmt.media_type.split(";")[0].strip()
        if media in content:
            continue
        binary = not media.startswith(_TEXT_TYPES)
        schema = {"type": "string", "format": "binary"} if binary else {"type": "string"}
        content[media] = {"schema": schema}
    return content


__all__ = ["openapi_document"]


def _ref(name):
    return {"$ref": f"#/components/{name}"}


def _json(schema, media="application/json"):
    return {"content": {media: {"schema": schema}}}


def _response(description, schema=None, media="application/json"):
    out = {"description": description}
    if schema is not None:
        out.update(_json(schema, media))
    return out


_ERROR = _response("An error, in the one JSON error shape.", _ref("schemas/Error"))


def _errors(*codes):
    return {str(c): _ERROR for c in codes}


def _component_key(table, param):
    from webapp.frontlines import FRONT_LINE_PARAMETERS

    if table is FRONT_LINE_PARAMETERS and param.name in ("f", "datetime", "source"):
        return f"front_lines_{param.name}"
    if param.name == "f":
        return "f_json" if table is params.JSON_ONLY_PARAMETERS else "f_items"
    return param.name


def _parameters(limits, formats):
    """Return ``components.parameters``: the path parameters and the items table's."""
    out = {
        "collectionId": {
            "name": "collectionId",
            "in": "path",
            "required": True,
            "description": "The collection: events, or front_lines (dated front-line "
            "geometry; its items have their own paths).",
            "schema": {"type": "string", "enum": ["events", "front_lines"]},
        },
        "eventCollectionId": {
            "name": "collectionId",
            "in": "path",
            "required": True,
            "description": "The collection of events.",
            "schema": {"type": "string", "enum": ["events"]},
        },
        "frontLineId": {
            "name": "featureId",
            "in": "path",
            "required": True,
            "description": "A front-line feature id: the version id and the feature's number.",
            "schema": {"type": "string", "pattern": r"^fl-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}-\d+$"},
        },
        "featureId": {
            "name": "featureId",
            "in": "path",
            "required": True,
            "description": "An event id (event_id): " + ID_RULE + ".",
            "schema": {"type": "string", "pattern": ID_PATTERN},
        },
    }
    from webapp.frontlines import FRONT_LINE_PARAMETERS

    tables = (params.JSON_ONLY_PARAMETERS, items_params.ITEMS_PARAMETERS, FRONT_LINE_PARAMETERS)
    for table in tables:
        for param in table:
            out[_component_key(table, param)] = param.openapi(limits, formats)
    return out


def _refs(table):
    return [{"$ref": "#/components/parameters/" + _component_key(table, p)} for p in table]


def _schemas():
    link = {
        "type": "object",
        "required": ["href", "rel"],
        "properties": {
            "href": {"type": "string"},
            "rel": {"type": "string"},
            "type": {"type": "string"},
            "title": {"type": "string"},
        },
    }
    feature = {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "string"},
            "geometry": {"type": "object", "nullable": True},
            "properties": {"type": "object"},
            "links": {"type": "array", "items": _ref("schemas/Link")},
        },
    }
    return {
        "Error": {
            "type": "object",
            "required": ["ok", "status", "error", "field"],
            "properties": {
                "ok": {"type": "boolean", "enum": [False]},
                "status": {"type": "integer"},
                "error": {"type": "string"},
                "field": {"type": "string", "nullable": True},
            },
        },
        "Link": link,
        "Feature": feature,
        "FeatureCollection": {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": {"type": "array", "items": _ref("schemas/Feature")},
                "numberMatched": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "How many events match; left out when more match than "
                    "the server counts (NUMBER_MATCHED_MAX, or offset + limit when larger): "
                    "the next link then says that more match.",
                },
                "numberReturned": {"type": "integer", "minimum": 0},
                "timeStamp": {"type": "string", "format": "date-time"},
                "links": {"type": "array", "items": _ref("schemas/Link")},
            },
        },
        "Event": {
            "type": "object",
            "description": "An event as Event.from_dict takes it (or a GeoJSON Feature).",
            "required": ["event_type", "date_start"],
            "properties": {
                "event_id": {"type": "string", "pattern": ID_PATTERN},
                "event_type": {"type": "string", "enum": list(EVENT_TYPES)},
                "date_start": {"type": "string", "format": "date"},
                "date_end": {"type": "string", "format": "date"},
                "latitude": {"type": "number", "minimum": -90, "maximum": 90},
                "longitude": {"type": "number", "minimum": -180, "maximum": 180},
                "status": {"type": "string", "enum": list(STATUSES)},
                "summary": {"type": "string"},
                "sources": {"type": "array", "items": {"type": "object"}},
                "edited_fields": {
                    "type": "array",
                    "description": "Fields an analyst changed; extraction keeps them.",
                    "items": {"type": "string", "enum": list(EDITABLE_FIELDS)},
                },
            },
        },
        "GeocodeRow": {
            "type": "object",
            "required": [
                "query",
                "lat",
                "lon",
                "geonameid",
                "feature_code",
                "country_code",
                "precision",
                "score",
            ],
            "properties": {
                "query": {"type": "string"},
                "lat": {"type": "number", "nullable": True},
                "lon": {"type": "number", "nullable": True},
                "geonameid": {"type": "integer", "nullable": True},
                "feature_code": {"type": "string", "nullable": True},
                "country_code": {"type": "string", "nullable": True},
                "precision": {"type": "string", "nullable": True},
                "score": {"type": "number", "nullable": True},
            },
        },
    }


def openapi_document(server_url, formats=None, limits=None):
    """Return the OpenAPI 3.0 document as a dict.

    Parameters
    ----------
    server_url : str
        The API's base URL (``servers[0].url``).
    formats : sequence of str, optional
        Export format names (default: ``geo.formats.FORMATS``).
    limits : webapp.params.Limits, optional
        The request bounds the document states (default: the defaults).

    Examples
    --------
    >>> doc = openapi_document("http://127.0.0.1:8000", formats=["csv"])
    >>> doc["openapi"], "/collections/{collectionId}/items" in doc["paths"]
    ('3.0.3', True)
    """
    from webapp.frontlines import FRONT_LINE_PARAMETERS

    if formats is None:
        from geo.formats import FORMATS

        formats = list(FORMATS)
    limits = limits or params.Limits()
    p = "#/components/parameters/"
    item_params = [{"$ref": p + n} for n in ("eventCollectionId", "featureId")]
    write_security = [{"bearerAuth": []}]
    feature = _response("A GeoJSON Feature.", _ref("schemas/Feature"), media="application/geo+json")
    writes = _errors(400, 401, 404, 413)
    items_get = {
        "summary": "Query events (a GeoJSON page, or a file export with f)",
        "operationId": "getItems",
        "parameters": [
            {"$ref": p + "eventCollectionId"},
            *_refs(items_params.ITEMS_PARAMETERS),
        ],
        "responses": {
            "200": {
                "description": "Matching events.",
                "content": _export_media(),
            },
            **_errors(400, 404, 503),
        },
    }
    json_only = _refs(params.JSON_ONLY_PARAMETERS)
    paths = {
        "/": {
            "get": {
                "summary": "Landing page (JSON for API clients; the map for browsers)",
                "operationId": "getLandingPage",
                "parameters": [q.openapi(limits) for q in params.LANDING_PARAMETERS],
                "responses": {
                    "200": {
                        "description": "The landing page.",
                        "content": {
                            "application/json": {"schema": {"type": "object"}},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors(400),
                },
            }
        },
        "/conformance": {
            "get": {
                "summary": "Conformance classes",
                "operationId": "getConformance",
                "parameters": json_only,
                "responses": {
                    "200": _response(
                        "The classes.",
                        {
                            "type": "object",
                            "required": ["conformsTo"],
                            "properties": {
                                "conformsTo": {"type": "array", "items": {"type": "string"}}
                            },
                        },
                    ),
                    **_errors(400),
                },
            }
        },
        "/collections": {
            "get": {
                "summary": "The feature collections",
                "operationId": "getCollections",
                "parameters": json_only,
                "responses": {
                    "200": _response("The collections.", {"type": "object"}),
                    **_errors(400),
                },
            }
        },
        "/collections/{collectionId}": {
            "get": {
                "summary": "One collection",
                "operationId": "describeCollection",
                "parameters": [{"$ref": p + "collectionId"}, *json_only],
                "responses": {
                    "200": _response("The collection.", {"type": "object"}),
                    **_errors(400, 404),
                },
            }
        },
        "/collections/{collectionId}/items": {
            "get": items_get,
            "post": {
                "summary": "Create events (token required)",
                "operationId": "createItems",
                "security": write_security,
                "parameters": [{"$ref": p + "eventCollectionId"}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    _ref("schemas/Event"),
                                    {"type": "array", "items": _ref("schemas/Event")},
                                ]
                            }
                        }
                    },
                },
                "responses": {
                    "201": _response("Created.", {"type": "object"}, "application/geo+json"),
                    **writes,
                    **_errors(409),
                },
            },
        },
        "/collections/{collectionId}/items/{featureId}": {
            "get": {
                "summary": "One event",
                "operationId": "getFeature",
                "parameters": [*item_params, *json_only],
                "responses": {"200": feature, **_errors(400, 404)},
            },
            "put": {
                "summary": "Replace an event (token required)",
                "operationId": "replaceFeature",
                "security": write_security,
                "parameters": item_params,
                "requestBody": {"required": True, **_json(_ref("schemas/Event"))},
                "responses": {"200": feature, **writes},
            },
            "patch": {
                "summary": "Change fields of an event (JSON merge patch; token required)",
                "operationId": "patchFeature",
                "security": write_security,
                "parameters": item_params,
                "requestBody": {"required": True, **_json({"type": "object"})},
                "responses": {"200": feature, **writes},
            },
            "delete": {
                "summary": "Delete an event, recording the reason (token required)",
                "operationId": "deleteFeature",
                "security": write_security,
                "parameters": [*item_params, *(q.openapi(limits) for q in DELETE_PARAMETERS)],
                "responses": {"200": _response("Deleted.", {"type": "object"}), **writes},
            },
        },
        "/collections/{collectionId}/items/{featureId}/review": {
            "post": {
                "summary": "Mark an event reviewed (token required)",
                "operationId": "reviewFeature",
                "security": write_security,
                "parameters": item_params,
                "responses": {"200": feature, **writes},
            }
        },
        "/collections/front_lines/items": {
            "get": {
                "summary": "Front lines in force at a date (dated geometry, GeoJSON)",
                "operationId": "getFrontLines",
                "parameters": _refs(FRONT_LINE_PARAMETERS),
                "responses": {
                    "200": _response(
                        "The features of the versions in force, each with its source, "
                        "valid_from and valid_to; the versions are listed in 'versions'.",
                        _ref("schemas/FeatureCollection"),
                        media="application/geo+json",
                    ),
                    **_errors(400, 404),
                },
            }
        },
        "/collections/front_lines/items/{featureId}": {
            "get": {
                "summary": "One front-line feature",
                "operationId": "getFrontLine",
                "parameters": [{"$ref": p + "frontLineId"}, *json_only],
                "responses": {"200": feature, **_errors(400, 404)},
            }
        },
        "/openapi": {
            "get": {
                "summary": "This document",
                "operationId": "getOpenAPI",
                "parameters": json_only,
                "responses": {
                    "200": _response(
                        "OpenAPI 3.0.",
                        {"type": "object"},
                        "application/vnd.oai.openapi+json;version=3.0",
                    ),
                    **_errors(400),
                },
            }
        },
        "/api/geocode": {
            "get": {
                "summary": "Geocode a place name offline (the CLI's fields)",
                "operationId": "geocode",
                "parameters": [q.openapi(limits) for q in GEOCODE_PARAMETERS],
                "responses": {
                    "200": _response("The best match.", _ref("schemas/GeocodeRow")),
                    **_errors(400),
                },
            },
            "post": {
                "summary": "Geocode a list of place names",
                "operationId": "geocodeBatch",
                "parameters": [q.openapi(limits) for q in GEOCODE_BATCH_PARAMETERS],
                "requestBody": {
                    "required": True,
                    **_json(
                        {
                            "type": "array",
                            "items": {
                                "oneOf": [
                                    {"type": "string"},
                                    {
                                        "type": "object",
                                        "required": ["q"],
                                        "properties": {"q": {"type": "string"}},
                                    },
                                ]
                            },
                        }
                    ),
                },
                "responses": {
                    "200": _response(
                        "One row per name.",
                        {"type": "array", "items": _ref("schemas/GeocodeRow")},
                    ),
                    **_errors(400, 413, 503),
                },
            },
        },
        "/api/articles": {
            "post": {
                "summary": "Upload an article for ingestion (token required)",
                "operationId": "uploadArticle",
                "security": write_security,
                "requestBody": {
                    "required": True,
                    "content": {
                        "text/plain": {"schema": {"type": "string"}},
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["text"],
                                "properties": {
                                    "text": {"type": "string"},
                                    "filename": {"type": "string"},
                                },
                            }
                        },
                    },
                },
                "responses": {
                    "201": _response("Ingested.", {"type": "object"}),
                    **_errors(400, 401, 413, 422, 503),
                },
            }
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "conflictmap",
            "version": "1.0.0",
            "description": "Conflict events with their sources, as OGC API - Features "
            "(Part 1 Core, GeoJSON), with CSV, GeoPackage and KML exports, offline geocoding "
            "and token-protected writes. Errors share one JSON shape.",
        },
        "servers": [{"url": server_url or "/"}],
        "paths": paths,
        "components": {
            "parameters": _parameters(limits, list(formats)),
            "schemas": _schemas(),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
