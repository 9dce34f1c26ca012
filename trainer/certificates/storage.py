"""Where rendered certificate PDFs are kept, so that a download never renders twice."""

from pathlib import Path


class FileStore:
    """PDFs as files under a folder (``instance/certificates`` by default)."""

    def __init__(self, root):
        self.root = Path(root)

    def _path(self, number):
        safe = "".join(ch for ch in number if ch.isalnum() or ch in "-_")
        return self.root / safe[-4:] / f"{safe}.pdf"  # a few thousand files per folder

    def get(self, number):
        """The stored PDF bytes, or None."""
        path = self._path(number)
        return path.read_bytes() if path.exists() else None

    def exists(self, number):
        return self._path(number).exists()

    def put(self, number, data):
        path = self._path(number)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a reader sees the whole file or none

    def delete(self, number):
        self._path(number).unlink(missing_ok=True)


def store_for(app):
    """The store configured for ``app``."""
    return FileStore(
        app.config.get("CERTIFICATE_STORE") or Path(app.instance_path) / "certificates"
    )
