"""``python -m trainer.documents.check``: can WeasyPrint load Pango? Advice instead of a traceback.

``make run`` calls it first: without Pango every PDF (certificates, sheets, reports) fails.
"""

import sys

ADVICE = """WeasyPrint, which renders every PDF of trainer, cannot load Pango:
  {error}
Install Pango (and its FreeType/HarfBuzz parts), then run make again:
  Debian/Ubuntu:  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0
  Fedora/RHEL:    sudo dnf install pango
  Alpine:         apk add pango
  macOS:          brew install pango
  Windows:        see https://doc.courtbouillon.org/weasyprint/stable/first_steps.html
"""


def problem():
    """None when WeasyPrint loads, else the error text."""
    try:
        import weasyprint  # noqa: F401  (loading it loads Pango through cffi)
    except (ImportError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    return None


def main():
    error = problem()
    if error is None:
        return 0
    print(ADVICE.format(error=error), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
