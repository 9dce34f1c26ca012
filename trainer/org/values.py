"""The codes of the org tree and the roster, defined once (labels, forms, imports, API)."""

from enum import StrEnum


class UnitKind(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    SCHOOL = "school"
    DEPARTMENT = "department"
    OTHER = "other"


class Position(StrEnum):
    TEACHER = "teacher"
    IT_TEACHER = "it_teacher"
    MANAGER = "manager"
    STAFF = "staff"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"


class StaffStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
