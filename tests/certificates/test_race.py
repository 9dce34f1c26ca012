"""Issuers racing each other in separate processes never give anyone two valid certificates
of a level, and use every number once: bulk issues of overlapping units (the province and one
of its districts, twice each) and single issues, all started at the same moment."""

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trainer.accounts.services import issue_token
from trainer.certificates import services
from trainer.certificates.models import Certificate

from .. import factories
from .conftest import BASIC

ROOT = Path(__file__).resolve().parents[2]
ELECTIVES = ["IU07", "IU08", "IU09"]


@pytest.fixture
def crowd(db, tree, levels, pass_modules):
    """Staff codes: who may get basic, who may get advanced (they hold basic), who may not."""
    basic = []
    for unit, prefix, count in (("DB-A-S1", "RA", 4), ("DB-A-S2", "RB", 3), ("DB-B-S1", "RC", 3)):
        for i in range(1, count + 1):
            person = factories.make_staff(
                tree[unit], f"Người Đua {prefix}{i}", staff_code=f"{prefix}{i}"
            )
            pass_modules(person, *BASIC)
            basic.append(person.staff_code)
    advanced = []
    for i in (1, 2):
        person = factories.make_staff(tree["DB-A-S2"], f"Người Giỏi {i}", staff_code=f"RQ{i}")
        pass_modules(person, *BASIC, *ELECTIVES)
        services.issue_certificate(person, levels["basic"])
        advanced.append(person.staff_code)
    missing = factories.make_staff(tree["DB-A-S1"], "Người Chưa Đủ", staff_code="RN1")
    pass_modules(missing, *BASIC[:3])
    token = issue_token(factories.make_user("admin", tree["DB"]))
    db.session.commit()
    return {"basic": basic, "advanced": advanced, "token": token}


ISSUERS = [  # six processes: enough to overlap everything on a machine with two cores
    ("bulk-province-1", "bulk", "DB", "basic"),
    ("bulk-province-2", "bulk", "DB", "basic"),
    ("bulk-district-1", "bulk", "DB-A", "basic"),
    ("bulk-district-2", "bulk", "DB-A", "basic"),
    ("single-basic", "single", "basic", "RA1", "RB1", "RC1"),
    ("bulk-advanced", "bulk", "DB", "advanced"),
]


def race(url, token, folder, instance):
    """Start every issuer in its own process, release them together, return their answers."""
    children = {
        name: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.certificates.race",
                url,
                str(instance),
                str(folder),
                name,
                token,
                *args,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, *args in ISSUERS
    }
    deadline = time.monotonic() + 120
    while len(list(folder.glob("*.ready"))) < len(children):
        assert time.monotonic() < deadline, "the issuers did not start"
        assert all(c.poll() is None for c in children.values()), "an issuer died"
        time.sleep(0.02)
    (folder / "go").touch()
    answers = {}
    for name, child in children.items():
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, (name, out, err)
        answers[name] = [json.loads(line) for line in out.splitlines()]
    return answers


@pytest.mark.committed  # the issuers are other processes
def test_racing_issuers_give_one_valid_certificate_each(backend, db, crowd, tmp_path):
    folder = tmp_path / "race"
    folder.mkdir()
    answers = race(backend[1], crowd["token"], folder, tmp_path / "instance")

    for name, *_args in ISSUERS:
        for status, body in answers[name]:
            if name.startswith("bulk"):
                assert status == 201, (name, body)
            else:  # the first single issue wins, a later one is told it is already held
                assert status == 201 or (status == 409 and body["error"] == "already_held"), (
                    name,
                    body,
                )

    db.session.rollback()
    certs = db.session.scalars(select(Certificate)).all()
    valid = Counter((c.staff.staff_code, c.level.code) for c in certs if c.status == "valid")
    expected = {(code, "basic") for code in crowd["basic"] + crowd["advanced"]}
    expected |= {(code, "advanced") for code in crowd["advanced"]}
    assert set(valid) == expected
    assert [key for key, n in valid.items() if n != 1] == []
    assert all(c.status == "valid" for c in certs)

    numbers = [c.number for c in certs]
    assert len(numbers) == len(set(numbers)) == len(expected)
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, len(numbers) + 1))
    issued = sum(
        body["issued"]
        for name, *_ in ISSUERS
        if name.startswith("bulk")
        for _status, body in answers[name]
    )
    issued += sum(status == 201 for status, _body in answers["single-basic"])
    assert issued == len(expected) - len(crowd["advanced"])  # the setup issued those


def test_a_second_valid_certificate_is_refused_by_the_database(db, crowd, levels):
    """The index alone holds the rule: ours may not overlap, external ones and revoked may."""
    from sqlalchemy.exc import IntegrityError

    held = db.session.scalar(select(Certificate).where(Certificate.status == "valid"))
    values = dict(staff_id=held.staff_id, level_id=held.level_id, issued_on=held.issued_on)
    db.session.add(
        Certificate(
            number="X-1",
            issuer="Trung tâm khác",
            issuer_key="Trung tâm khác",
            external=True,
            **values,
        )
    )
    db.session.add(Certificate(number="DB-2026-900001", status="revoked", **values))
    db.session.commit()
    db.session.add(Certificate(number="DB-2026-900002", **values))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_single_issue_losing_the_race_answers_409(db, client, crowd, monkeypatch):
    """As if another issuer committed between the check and the insert."""
    monkeypatch.setattr(services, "valid_certificate", lambda *args: None)
    response = client.post(
        "/api/v1/certificates",
        json={"staff_code": "RQ1", "level": "basic"},
        headers={"Authorization": f"Bearer {crowd['token']}"},
    )
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"] == "already_held"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2


def test_single_issue_losing_the_race_on_the_page_says_so(db, client, tree, crowd, monkeypatch):
    user = factories.make_user("admin", tree["DB"], email="race-admin@example.vn")
    db.session.commit()
    client.post("/login", data={"identifier": user.email, "password": factories.PASSWORD})
    monkeypatch.setattr(services, "valid_certificate", lambda *args: None)
    response = client.post(
        "/staff/RQ1/certificates", data={"level": "basic"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "đã có chứng chỉ còn hiệu lực" in response.get_data(as_text=True)


def test_bulk_issue_skips_who_got_one_meanwhile_without_a_gap(db, crowd, levels, tree, monkeypatch):
    """The first list still names someone who holds one by now: the index skips them, the
    run is taken back and numbered again, so no number is lost."""
    eligible = services.eligible_candidates
    calls = []

    def stale(unit, level, *, on=None, progress=None):
        people = eligible(unit, level, on=on, progress=progress)
        calls.append(len(people))
        if len(calls) == 1:  # as read before another issuer's commit
            people += [
                services.Candidate.of(c.staff)
                for c in db.session.scalars(
                    select(Certificate).where(Certificate.status == "valid")
                )
            ]
        return people

    monkeypatch.setattr(services, "eligible_candidates", stale)
    certs = services.issue_bulk(tree["DB"], levels["basic"])
    db.session.commit()
    assert len(calls) == 2 and len(certs) == len(crowd["basic"])
    numbers = sorted(int(n[-6:]) for n in db.session.scalars(select(Certificate.number)))
    assert numbers == list(range(1, len(crowd["basic"]) + 3))
