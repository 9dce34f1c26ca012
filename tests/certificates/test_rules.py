"""The rules of the standard: basic, advanced, pass marks, prerequisites, 409/422."""

from datetime import date

import pytest

from trainer.certificates import services
from trainer.certificates.errors import AlreadyHeld, NotEligible
from trainer.certificates.held_levels import progress_for
from trainer.certificates.models import Certificate
from trainer.curriculum import services as curriculum
from trainer.errors import InvalidInput

from .conftest import BASIC


def test_basic_needs_all_six(db, person, levels, pass_modules):
    pass_modules(person, *BASIC[:5])
    with pytest.raises(NotEligible) as caught:
        services.issue_certificate(person, levels["basic"])
    assert caught.value.details["missing"] == ["IU06"]
    pass_modules(person, "IU06")
    cert = services.issue_certificate(person, levels["basic"])
    assert cert.number.startswith(f"DB-{date.today().year}-") and len(cert.number) == 14


@pytest.mark.parametrize("score, passes", [(49.99, False), (50, True), (100, True), (0, False)])
def test_boundary_at_the_pass_mark(db, person, levels, pass_modules, score, passes):
    pass_modules(person, *BASIC[:5])
    pass_modules(person, "IU06", score=score)
    basic = next(p for p in progress_for(person) if p.level.code == "basic")
    assert basic.eligible is passes


def test_pass_mark_is_per_module(db, person, levels, modules, pass_modules):
    curriculum.set_pass_score(modules["IU06"], 70)
    pass_modules(person, *BASIC[:5])
    pass_modules(person, "IU06", score=69)
    assert not next(p for p in progress_for(person) if p.level.code == "basic").eligible
    pass_modules(person, "IU06", score=70)  # a later, better result counts
    assert next(p for p in progress_for(person) if p.level.code == "basic").eligible


def test_advanced_needs_basic_held_and_three_electives(db, person, levels, pass_modules):
    pass_modules(person, *BASIC, "IU07", "IU08", "IU09")
    with pytest.raises(NotEligible) as caught:
        services.issue_certificate(person, levels["advanced"])
    assert caught.value.details["missing"] == []  # modules done, but basic is not held yet
    services.issue_certificate(person, levels["basic"])
    assert services.issue_certificate(person, levels["advanced"]).level.code == "advanced"


def test_advanced_missing_lists_electives_and_prerequisite_modules(
    db, person, levels, pass_modules
):
    pass_modules(person, "IU01", "IU07")
    with pytest.raises(NotEligible) as caught:
        services.issue_certificate(person, levels["advanced"])
    missing = caught.value.details["missing"]
    assert missing[:5] == ["IU02", "IU03", "IU04", "IU05", "IU06"]
    assert "IU08" in missing and "IU07" not in missing
    assert caught.value.details["electives_needed"] == 2


def test_external_basic_counts_as_prerequisite(db, person, levels, pass_modules):
    db.session.add(
        Certificate(
            number="X-1",
            issuer_key="TT Tin học",
            issuer="TT Tin học",
            external=True,
            staff_id=person.id,
            level_id=levels["basic"].id,
            issued_on=date(2019, 1, 1),
        )
    )
    pass_modules(person, "IU10", "IU11", "IU12")
    assert services.issue_certificate(person, levels["advanced"]).number


def test_valid_one_held_is_409(db, person, levels, pass_modules):
    pass_modules(person, *BASIC)
    first = services.issue_certificate(person, levels["basic"])
    with pytest.raises(AlreadyHeld) as caught:
        services.issue_certificate(person, levels["basic"])
    assert caught.value.details["number"] == first.number and caught.value.status == 409
    services.revoke(first, "Cấp nhầm")
    assert services.issue_certificate(person, levels["basic"]).number != first.number


def test_scores_are_bounded(db, person, modules):
    for bad in (-1, 100.5, "abc", float("nan")):
        with pytest.raises(InvalidInput):
            curriculum.record_result(person, modules["IU01"], bad, date(2026, 1, 1))


def test_new_level_with_electives(db, person, modules, levels, pass_modules):
    digital = curriculum.create_level(
        code="digital",
        name_vi="Công dân số",
        name_en="Digital citizen",
        rank=3,
        required=[modules["DS01"]],
        electives=[modules[c] for c in ("DS02", "DS03", "DS04")],
        min_electives=2,
        prerequisite=levels["basic"],
    )
    pass_modules(person, *BASIC, "DS01", "DS02")
    services.issue_certificate(person, levels["basic"])
    with pytest.raises(NotEligible):
        services.issue_certificate(person, digital)
    pass_modules(person, "DS04")
    assert services.issue_certificate(person, digital).level.code == "digital"
    with pytest.raises(InvalidInput):
        curriculum.create_level(
            code="digital",
            name_vi="x",
            name_en="x",
            rank=4,
            required=[modules["DS01"]],
            electives=[],
        )


def test_certificate_keeps_the_name_as_printed(db, person, levels, pass_modules):
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    person.rename("Nguyễn Tiến Thành")
    db.session.commit()
    assert cert.printed_name == "Nguyễn Tiến Thắng"
    assert cert.printed_unit == "Trường Tiểu học Sa Lông"
    new = services.reissue(cert)
    assert new.printed_name == "Nguyễn Tiến Thành" and cert.status == "superseded"
    assert cert.superseded_by_id == new.id and new.number != cert.number


def test_numbers_are_sequential_and_never_reused(db, tree, levels, pass_modules):
    from .. import factories

    people = [factories.make_staff(tree["DB-A-S2"], f"Người {i}") for i in range(3)]
    for p in people:
        pass_modules(p, *BASIC)
    certs = services.issue_bulk(tree["DB-A"], levels["basic"])
    numbers = [c.number for c in certs]
    assert [int(n[-6:]) for n in numbers] == [1, 2, 3]
    services.revoke(certs[0], "Sai")
    db.session.commit()
    again = services.issue_certificate(people[0], levels["basic"])
    assert again.number.endswith("000004")
