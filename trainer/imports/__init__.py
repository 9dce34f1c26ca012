"""Imports of org units, staff, external certificates and targets: all or nothing."""


def importer_for(kind):
    """A fresh importer for ``kind`` (orgunits, staff, certificates, targets, reorganisation)."""
    from .certificates import CertificateImporter
    from .orgunits import OrgUnitImporter
    from .reorganisation import ReorganisationImporter
    from .staff import StaffImporter
    from .targets import TargetImporter

    importers = {
        cls.kind: cls
        for cls in (
            OrgUnitImporter,
            StaffImporter,
            CertificateImporter,
            TargetImporter,
            ReorganisationImporter,
        )
    }
    return importers[kind]()


KINDS = ("orgunits", "staff", "certificates", "targets")
