"""Which column of a file is which field: our own names, the Vietnamese headers of the sector's
database and of schools' spreadsheets, and mappings an admin saved for the rest."""

from dataclasses import dataclass, field

from ..org.attributes import fold_label

# Folded header (see ``fold_label``) → field, per kind. Our own column names are always known.
HEADER_ALIASES = {
    "staff": {
        "ma can bo": "staff_code",
        "ma cb": "staff_code",
        "ma nhan vien": "staff_code",
        "ma so can bo": "staff_code",
        "ma giao vien": "staff_code",
        "ma cbgv": "staff_code",
        "ma dinh danh": "moet_id",
        "ma dinh danh bo gd dt": "moet_id",
        "ma dinh danh bo gddt": "moet_id",
        "ma dinh danh can bo": "moet_id",
        "ma dinh danh giao vien": "moet_id",
        "ma dinh danh ca nhan": "moet_id",
        "ho va ten": "full_name",
        "ho ten": "full_name",
        "ho va ten can bo": "full_name",
        "ho va ten giao vien": "full_name",
        "ten can bo": "full_name",
        "ngay sinh": "birth_date",
        "ngay thang nam sinh": "birth_date",
        "gioi tinh": "gender",
        "dan toc": "ethnicity",
        "chuc vu": "position",
        "vi tri viec lam": "position",
        "chuc danh": "position",
        "vi tri": "position",
        "trang thai": "status",
        "tinh trang": "status",
        "trang thai lam viec": "status",
        "tinh trang lam viec": "status",
        "ma truong": "org_code",
        "don vi": "org_code",
        "ma don vi": "org_code",
        "truong": "org_code",
        "don vi cong tac": "org_code",
        "ten truong": "org_code",
        "email": "email",
        "e mail": "email",
        "thu dien tu": "email",
        "dia chi email": "email",
        "so dien thoai": "phone",
        "dien thoai": "phone",
        "sdt": "phone",
        "so dt": "phone",
        "dien thoai di dong": "phone",
    },
    "orgunits": {
        "ma don vi": "code",
        "ma truong": "code",
        "ten don vi": "name",
        "ten truong": "name",
        "loai don vi": "kind",
        "loai": "kind",
        "ma don vi cap tren": "parent_code",
        "don vi cap tren": "parent_code",
        "ma dinh danh": "moet_id",
        "ma dinh danh bo gd dt": "moet_id",
        "cap hoc": "school_level",
        "vung dac biet kho khan": "disadvantaged",
        "dac biet kho khan": "disadvantaged",
        "vung dbkk": "disadvantaged",
    },
}
# Headers recognised as "nothing to import": a row number, a remark.
IGNORED = {"stt", "tt", "so tt", "so thu tu", "ghi chu"}
HEADER_SCAN_ROWS = 20  # title rows that may stand above the header


@dataclass
class Header:
    """The header row found in a file: its index (0-based), the field of each column ("" when
    none), the file's own label of each field, and the labels nothing recognised."""

    index: int
    fields: list
    labels: dict = field(default_factory=dict)
    unknown: list = field(default_factory=list)
    collisions: list = field(default_factory=list)  # labels naming one field exactly twice


class HeaderResolver:
    """Recognises the columns of one kind of import, with an optional saved mapping."""

    def __init__(self, kind, fields, mapping=None):
        self.fields = tuple(fields)
        known = {fold_label(name): name for name in self.fields}
        known.update(
            {
                label: name
                for label, name in HEADER_ALIASES.get(kind, {}).items()
                if name in self.fields
            }
        )
        known.update({label: "" for label in IGNORED})
        known.update(
            {
                fold_label(label): name
                for label, name in (mapping or {}).items()
                if name == "" or name in self.fields
            }
        )
        self.known = known

    def resolve(self, cells, index=0):
        """The ``Header`` that the row ``cells`` would be."""
        header = Header(index=index, fields=[])
        folded_seen = {}
        for cell in cells:
            label = str(cell).strip() if cell is not None else ""
            folded = fold_label(label)
            name = self.known.get(folded) if folded else ""
            if folded and name is None:
                header.unknown.append(label)
                name = ""
            elif name and name in header.labels:
                if folded_seen[name] == folded:
                    header.collisions.append(label)
                else:  # a second header for a field already found: left for the admin to map
                    header.unknown.append(label)
                name = ""
            elif name:
                header.labels[name], folded_seen[name] = label, folded
            header.fields.append(name)
        return header

    def locate(self, rows):
        """The header among the first rows: the one naming the most known fields (the first
        row when none names two), so that title rows above the header are skipped."""
        best = None
        for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
            header = self.resolve(cells, index)
            if best is None or len(header.labels) > len(best.labels):
                best = header
        if best is None or len(best.labels) < 2:
            return self.resolve(rows[0], 0) if rows else None
        return best
