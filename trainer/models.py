"""Imports every feature's models so that Alembic and the app see one complete metadata
(models only: the event listeners are registered by ``create_app``)."""

from .accounts.models import ApiToken, User  # noqa: F401
from .audit import AuditEntry  # noqa: F401
from .certificates.design_models import (  # noqa: F401
    CertificateDesign,
    CertificateDesignVersion,
    DesignImage,
)
from .certificates.models import (  # noqa: F401
    Certificate,
    CertificateSequence,
    IssuingProfile,
)
from .coverage.models import DataVersion, Target  # noqa: F401
from .coverage.states import StaffState, StaleStaffState  # noqa: F401
from .curriculum.models import CertificateLevel, LevelModule, Module, Result  # noqa: F401
from .imports.models import ImportMapping  # noqa: F401
from .jobs.models import Job  # noqa: F401
from .org.models import OrgUnit, Staff, StaffNameWord  # noqa: F401
from .org.periods import (  # noqa: F401
    OrgUnitPath,
    OrgUnitPeriod,
    Reorganisation,
    StaffPeriod,
)
from .training.models import Enrollment, PlaceRequest, TrainingSession  # noqa: F401
from .training.sync_models import DeviceSubmission  # noqa: F401
