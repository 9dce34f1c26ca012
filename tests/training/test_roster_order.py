"""Session rosters and sign-in sheets list people in Vietnamese order (issue 20, item 9)."""

import subprocess

from trainer.training import services
from trainer.training.queries import roster

from .. import factories
from .test_views import sign_in, trainer_user

ORDERED = ["Lò Thị Anh", "Dương Thị Ánh", "Vì Thị Ân", "Đào Văn Dương", "Dương Văn Đào"]


def test_roster_and_sign_in_sheet_by_given_name(
    client, db, tree, trainer_staff, make_session, tmp_path
):
    session = make_session(capacity=10)
    people = [factories.make_staff(tree["DB-A-S1"], name) for name in reversed(ORDERED)]
    services.enroll(session, people)
    db.session.commit()
    assert [e.staff.full_name for e in roster(session)] == ORDERED
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert sorted(ORDERED, key=page.find) == ORDERED and all(n in page for n in ORDERED)
    path = tmp_path / "sheet.pdf"
    path.write_bytes(client.get(f"/sessions/{session.id}/sheet.pdf").data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert all(n in text for n in ORDERED)
    assert sorted(ORDERED, key=text.find) == ORDERED
