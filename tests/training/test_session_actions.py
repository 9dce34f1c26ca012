"""The trainer's session page (issue 20): one primary action, the secondary ones quiet beside
it, cancelling among them (last, quiet and red), not alone on its own row."""

import re

from .test_views import sign_in, trainer_user


def test_cancel_sits_with_the_quiet_secondary_actions(
    client, db, tree, trainer_staff, make_session
):
    session = make_session()
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    actions = re.search(r'<div class="actions session-actions">(.*?)\n  </div>', page, re.S)
    assert actions, "no actions block"
    block = actions.group(1)
    # a <form> inside a <p> would close the paragraph and leave the button on a row of its own
    assert "<p" not in block
    primary = re.findall(r'class="button primary"[^>]*>(.*?)</a>', block, re.S)
    assert len(primary) == 1 and "Hiện mã điểm danh" in primary[0]
    for text in ("Nhập kết quả", "Sửa", "Danh sách ký tên (PDF)"):
        link = re.search(rf'<a class="([^"]*)"[^>]*>(?:<svg.*?</svg>)?{re.escape(text)}</a>', block)
        assert link and link.group(1) == "button quiet", text
    cancel = re.search(r'<form [^>]*class="inline cancel-form"[^>]*>.*?</form>', block, re.S)
    assert cancel
    assert '<button type="submit" class="quiet danger">Hủy buổi học</button>' in cancel.group(0)
    assert block.index("Hiện mã điểm danh") < block.index("Hủy buổi học")  # cancelling last


def test_a_cancelled_session_keeps_only_the_calendar_link(
    client, db, tree, trainer_staff, make_session
):
    from trainer.training import services

    session = make_session()
    user = trainer_user(db, tree, trainer_staff)
    services.cancel_session(session, actor=user)
    db.session.commit()
    sign_in(client, "gv@example.vn")
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert 'class="actions session-actions"' not in page
    assert "Hủy buổi học" not in page and "Hiện mã điểm danh" not in page
    assert f'<a class="ics-link" href="/sessions/{session.id}.ics">' in page
