"""The texts of the breakdown dimensions and their values (analysis page and report pack)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..labels import GENDERS, POSITIONS, SCHOOL_LEVELS, label
from .breakdown import Dimension

DIMENSION_LABELS = {
    Dimension.SCHOOL_LEVEL: _l("School level"),
    Dimension.GENDER: _l("Gender"),
    Dimension.ETHNIC_MINORITY: _l("Ethnic minority"),
    Dimension.DISADVANTAGED: _l("Disadvantaged area"),
    Dimension.POSITION: _l("Position"),
    Dimension.CHILD: _l("Unit directly under"),
}


def breakdown_value(dimension, value, names):
    """The Vietnamese (or English) text of one cell value of a breakdown."""
    if value is None:
        return _("Not given")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    mapping = {
        Dimension.SCHOOL_LEVEL: SCHOOL_LEVELS,
        Dimension.GENDER: GENDERS,
        Dimension.POSITION: POSITIONS,
        Dimension.CHILD: names,
    }.get(dimension, {})
    return str(label(mapping, value))
