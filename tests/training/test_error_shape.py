"""One shape for every JSON error of the training pages' scripts (issue 13, item 7): a
stable code in ``error`` and a human message beside it, never a sentence in ``error`` or a
bare 400 hiding the domain's refusal."""

from sqlalchemy import select

from trainer.training.models import Enrollment

from .test_views import sign_in, trainer_user


def test_the_tablets_sync_answers_a_signed_out_script_with_a_code_and_a_message(client, db):
    for path in ("/sessions/sync", "/sessions/offline.json"):
        answer = client.get(path)
        assert answer.status_code == 401, path
        body = answer.get_json()
        assert body["error"] == "unauthorized" and body["signed_in"] is False
        assert body["message"] and body["message"] != body["error"]


def test_marking_someone_not_enrolled_says_why(
    client, db, tree, trainer_staff, make_session, teachers
):
    session = make_session()
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    path = f"/sessions/{session.id}/attendance"
    answer = client.post(
        path, data={"staff_code": "T1", "status": "present"}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 400
    message = answer.get_json()["message"]
    assert answer.get_json()["error"] == "not_enrolled" and message
    page = client.post(
        path,
        data={"staff_code": "T1", "status": "present"},
        headers={"Referer": f"http://localhost/sessions/{session.id}"},
    )
    assert page.status_code == 302 and page.headers["Location"] == f"/sessions/{session.id}"
    shown = client.get(page.headers["Location"]).get_data(as_text=True)
    assert message in shown
    assert db.session.scalar(select(Enrollment.id)) is None
