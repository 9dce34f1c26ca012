"""Write trainer/demo/data/dien_bien_reform_2025.csv: the 2025 reform of the demo province as a
reorganisation file (SPEC §9), generated from dien_bien_units.csv by ``trainer.demo.seed``.

    .venv/bin/python tools/dien_bien_reform.py

Load it into a demo seeded with ``trainer seed-demo --before-reform`` (any scale but
``small``, which builds only two districts and a few communes):

    trainer import reorganisation trainer/demo/data/dien_bien_reform_2025.csv --dry-run
    trainer import reorganisation trainer/demo/data/dien_bien_reform_2025.csv
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.demo.seed import REFORM_CSV, reform_csv, reform_rows  # noqa: E402


def main():
    data = reform_csv(reform_rows())
    REFORM_CSV.write_bytes(data)
    rows = data.count(b"\n") - 1
    print(f"wrote {REFORM_CSV} ({rows} rows)")


if __name__ == "__main__":
    main()
