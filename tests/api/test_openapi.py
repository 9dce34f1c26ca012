"""The OpenAPI document is valid 3.1 and lists every API route."""

from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_complete(app, client, db):
    response = client.get("/api/v1/openapi.json")  # public: no token
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule[len("/api/v1"):].replace("<int:", "{").replace("<", "{") \
            .replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, (path, method)
