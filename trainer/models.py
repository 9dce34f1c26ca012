"""Imports every feature's models so that Alembic and the app see one complete metadata."""

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
from .coverage import cache as _coverage_cache  # noqa: F401  (bumps the data version)
from .coverage.models import DataVersion, Target  # noqa: F401
from .curriculum.models import CertificateLevel, LevelModule, Module, Result  # noqa: F401
from .imports.models import ImportMapping  # noqa: F401
from .jobs.models import Job  # noqa: F401
from .org import history as _org_history  # noqa: F401  (records ORM changes as periods)
from .org import services as _org_services  # noqa: F401  (keeps staff search words current)
from .org.models import OrgUnit, Staff, StaffNameWord  # noqa: F401
from .org.periods import (  # noqa: F401
    OrgUnitPath,
    OrgUnitPeriod,
    Reorganisation,
    StaffPeriod,
)
from .training.models import Enrollment, PlaceRequest, TrainingSession  # noqa: F401
from .training.sync_models import DeviceSubmission  # noqa: F401
