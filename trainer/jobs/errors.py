"""Why a job operation is refused: stable codes with the message each page shows."""

from flask_babel import lazy_gettext as _l

from ..errors import ErrorCode


class JobError(ErrorCode):
    FINISHED = "job_finished", _l("This job has already ended.")
    NOT_RETRYABLE = "job_not_retryable", _l("Only a failed or cancelled job can be started again.")
