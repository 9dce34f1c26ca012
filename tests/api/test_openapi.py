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
        path = rule.rule[len("/api/v1") :].replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, (path, method)


def test_openapi_enums_and_limits_come_from_the_definitions(client, db):
    from trainer.training.values import CAPACITY, AttendanceStatus, SessionStatus

    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    create = document["paths"]["/sessions"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]["properties"]
    assert (
        (create["capacity"]["minimum"], create["capacity"]["maximum"])
        == (CAPACITY.minimum, CAPACITY.maximum)
        == (1, 500)
    )
    assert schemas["Session"]["properties"]["status"]["enum"] == list(SessionStatus)
    assert set(schemas["Enrollment"]["properties"]["status"]["enum"]) == {*AttendanceStatus, None}
    assert {
        "capacity_exceeded",
        "trainer_busy",
        "not_eligible",
        "own_certificate",
        "not_found",
    } <= set(schemas["Error"]["properties"]["error"]["enum"])


def test_every_status_has_a_label():
    from trainer import labels
    from trainer.certificates.values import CertificateStatus
    from trainer.org.values import Position, StaffStatus, UnitKind
    from trainer.training.values import AttendanceStatus, RequestStatus, SessionStatus

    for enum, mapping in (
        (SessionStatus, labels.SESSION_STATUSES),
        (AttendanceStatus, labels.ATTENDANCE),
        (RequestStatus, labels.REQUEST_STATUSES),
        (CertificateStatus, labels.CERTIFICATE_STATUSES),
        (StaffStatus, labels.STATUSES),
        (Position, labels.POSITIONS),
        (UnitKind, labels.KINDS),
    ):
        assert set(mapping) == set(enum), enum
