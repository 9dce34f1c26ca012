"""Domain errors of results, modules and levels, with their stable codes."""

from flask_babel import lazy_gettext as _l

from ..errors import DomainError, ErrorCode


class CurriculumError(ErrorCode):
    """The codes the result, module and level operations answer with."""

    SCORE_NOT_A_NUMBER = "score_not_a_number", _l("The score must be a number.")
    SCORE_OUT_OF_RANGE = (
        "score_out_of_range",
        _l("The score must be from %(minimum)s to %(maximum)s."),
    )
    PASS_SCORE_OUT_OF_RANGE = (
        "pass_score_out_of_range",
        _l("The pass score must be a whole number from %(minimum)s to %(maximum)s."),
    )
    DATE_IN_FUTURE = "date_in_future", _l("The date of the assessment is in the future.")
    UNKNOWN_MODULE = "unknown_module", _l("Unknown module.")
    UNKNOWN_LEVEL = "unknown_level", _l("Unknown certificate level.")
    LEVEL_EXISTS = "level_exists", _l("A level with this code already exists.")
    REQUIRED_AND_ELECTIVE = (
        "required_and_elective",
        _l("A module cannot be both required and elective."),
    )
    NO_MODULE = "no_module", _l("Choose at least one module.")
    TOO_FEW_ELECTIVES = "too_few_electives", _l("More electives needed than offered.")
    PREREQUISITE_RANK = "prerequisite_rank", _l("The prerequisite must have a lower rank.")
    OWN_RESULT = (
        "own_result",
        _l("Nobody records their own results: ask another trainer or an administrator."),
    )


class SelfDealing(DomainError):
    """Separation of duties: a result or certificate for oneself (unless an admin allows it)."""

    status = 403
