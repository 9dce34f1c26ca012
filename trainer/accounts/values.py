"""Why a new password is refused: stable codes with the message each form shows."""

from flask_babel import lazy_gettext as _l

from ..errors import ErrorCode


class PasswordRefused(ErrorCode):
    """Reasons ``change_password`` and ``check_password_rules`` refuse a password."""

    TOO_SHORT = (
        "password_too_short",
        _l("The password must have at least %(minimum)s characters."),
    )
    TOO_COMMON = "password_too_common", _l("This password is too common. Choose another one.")
    WRONG_CURRENT = "wrong_current_password", _l("The current password is wrong.")
    # a one-time password "changed" to itself would clear the forced change (issue 14.9)
    UNCHANGED = (
        "password_unchanged",
        _l("The new password must be different from the current one."),
    )
