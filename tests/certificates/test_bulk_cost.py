"""What a bulk issue costs the app: the designs and issuing profiles of every school read
once, as many queries for many schools as for one, the same choices as one at a time."""

from sqlalchemy import select

from trainer.certificates import designs, services
from trainer.certificates.models import Certificate, IssuingProfile

from .. import factories
from ..test_query_counts import counting
from .conftest import BASIC
from .test_designs import CONTENT


def test_choosers_agree_with_the_one_unit_lookups(db, tree, levels):
    district = designs.create_design("Mường Chà", org_unit=tree["DB-A"])
    designs.save_version(district, content=CONTENT)
    school = designs.create_design("Sá Tổng", org_unit=tree["DB-A-S2"], level=levels["basic"])
    designs.save_version(school, content={**CONTENT, "title": "CƠ BẢN"})
    designs.save_version(school, content={**CONTENT, "title": "CƠ BẢN 2"})
    db.session.add(
        IssuingProfile(
            org_unit_id=tree["DB-B"].id,
            issuer_name="Phòng GD huyện Điện Biên Đông",
            signatory_name="Lò Văn Thanh",
            signatory_title="Trưởng phòng",
            place_name="Điện Biên Đông",
        )
    )
    db.session.commit()
    settings = services.IssueSettings()
    choose_profile = services.profile_chooser(settings)
    for level in levels.values():
        choose_design = designs.design_chooser(level)
        for unit in tree.values():
            assert choose_design(unit.ancestor_ids()) == designs.design_version_for(unit, level)
    for unit in tree.values():
        assert choose_profile(unit.ancestor_ids()) == services.issuing_profile(unit, settings)
    assert designs.design_chooser(levels["basic"])(tree["DB-A-S2"].ancestor_ids()).title == (
        "CƠ BẢN 2"
    )


def issue_counting(db, unit, level):
    db.session.expire_all()
    with counting(db) as statements:
        numbers = services.issue_bulk_numbers(unit, level)
    db.session.commit()
    return numbers, len(statements)


def test_bulk_issue_queries_do_not_grow_with_schools_or_people(
    db, tree, levels, pass_modules, monkeypatch
):
    """Eligibility, profiles, designs and insertion: a few queries a chunk, none a school."""
    monkeypatch.setattr(services, "PROGRESS_CHUNK", 1000)
    pass_modules(factories.make_staff(tree["DB-A-S1"], "Lò Văn A"), *BASIC)
    few, few_queries = issue_counting(db, tree["DB-A"], levels["basic"])
    for i in range(12):
        school = factories.make_unit(f"DB-B-X{i}", f"Trường {i}", "school", tree["DB-B"])
        pass_modules(factories.make_staff(school, f"Người {i}"), *BASIC)
    many, many_queries = issue_counting(db, tree["DB-B"], levels["basic"])
    assert (len(few), len(many)) == (1, 12)
    assert many_queries == few_queries
    rows = db.session.scalars(select(Certificate).where(Certificate.number.in_(many))).all()
    assert {c.printed_unit for c in rows} == {f"Trường {i}" for i in range(12)}
    assert len({c.verification_code for c in rows}) == 12
