"""``trainer import`` from the command line."""

from sqlalchemy import func, select

from trainer.org.models import OrgUnit, Staff


def test_import_command_writes_and_reruns_idempotently(runner, db, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,kind,parent_code\nDB,Tỉnh Điện Biên,tỉnh,\nDB-MCH,Huyện Mường Chà,huyện,DB\n",
        encoding="utf-8-sig",
    )
    first = runner.invoke(args=["import", "orgunits", str(path)])
    assert first.exit_code == 0, first.output
    assert "Đã nhập 2 dòng: 2 tạo mới, 0 cập nhật, 0 không đổi." in first.output
    again = runner.invoke(args=["import", "orgunits", str(path), "--lang", "en"])
    assert "Imported 2 row(s): 0 created, 0 updated, 2 unchanged." in again.output
    assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == 2


def test_bad_file_exits_1_with_every_row_in_vietnamese(runner, db, tree, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(
        "staff_code,full_name,org_code,position,birth_date\n"
        "T1,Nguyễn Tiến Thắng,DB-A-S1,giáo viên,31/02/1990\n"
        "T2,Lò Thị Hương,KHONG-CO,giáo viên,\n"
        "T3,Quàng Văn Đức,DB-A-S1,giáo viên,\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["import", "staff", str(path)])
    assert result.exit_code == 1
    assert "Chưa nhập gì: 2 lỗi trong 3 dòng." in result.output
    assert "dòng 2, cột birth_date: ngày không tồn tại 31/02/1990" in result.output
    assert "dòng 3, cột org_code: không có mã đơn vị KHONG-CO" in result.output
    assert db.session.scalar(select(func.count()).select_from(Staff)) == 0


def test_dry_run_and_not_utf8(runner, db, tree, tmp_path):
    good = tmp_path / "staff.csv"
    good.write_text("staff_code,full_name,org_code,position\nT1,An,DB-A-S1,teacher\n")
    result = runner.invoke(args=["import", "staff", str(good), "--dry-run", "--lang", "en"])
    assert result.exit_code == 0 and "nothing written yet" in result.output
    assert db.session.scalar(select(func.count()).select_from(Staff)) == 0
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        "staff_code,full_name,org_code,position\nT1,Hà,DB-A-S1,teacher\n".encode("cp1258")
    )
    refused = runner.invoke(args=["import", "staff", str(latin)])
    assert refused.exit_code == 1 and "CSV UTF-8" in refused.output
