"""Computed styles shared between documents (trainer/documents/styles.py)."""

import hashlib
import inspect

import pytest

from trainer.documents import render, styles


def write(html, css):
    return render.write_pdfs(html, [1], css=[css], user_agent="certificate_ua.css")[0]


def stock_and_shared(monkeypatch, documents):
    """Each ``(html, css)`` of ``documents`` written with WeasyPrint's styles, then in turn
    with shared styles (a fresh thread cache)."""
    monkeypatch.setattr(render, "SHARE_STYLES", False)
    stock = [write(html, css) for html, css in documents]
    monkeypatch.setattr(render, "SHARE_STYLES", True)
    styles.drop()
    return stock, [write(html, css) for html, css in documents]


def test_what_layout_changes_in_a_style_stays_in_its_document(monkeypatch):
    """WeasyPrint changes some computed values in place (a collapsed table's padding, the
    root's or body's overflow given to the page): the next document sharing those styles
    still prints as WeasyPrint would print it."""
    css = (
        "body { overflow: hidden; margin: 0 } div { overflow: hidden } "
        "table { border-collapse: collapse; padding: 9pt; margin: 12pt } "
        "td { border: 1pt solid; padding: 3pt } li { display: list-item }"
    )
    html = (
        "<html><body><div><table><tr><td>Lò Thị Hương</td><td>1.520</td></tr></table>"
        "<ul><li>IU01</li><li>IU02</li></ul><p>Quàng Văn Đức</p></div></body></html>"
    )
    stock, shared = stock_and_shared(monkeypatch, [(html, css)] * 3)
    assert shared == stock


def test_viewport_units_are_never_shared(monkeypatch):
    """A length in viewport units is resolved against the document's first page: a stylesheet
    using one is not shared, so the same paragraph after a first page of another size
    prints as WeasyPrint would print it."""
    css = (
        "@page big { size: A4 landscape } @page small { size: A6 } .big { page: big } "
        ".small { page: small } p { width: 50vw; border: 1pt solid }"
    )
    documents = [
        (f"<html><body><div class='{size}'>x</div><p>Lò Thị Hương</p></body></html>", css)
        for size in ("big", "small")
    ]
    stock, shared = stock_and_shared(monkeypatch, documents)
    assert stock[0] != stock[1] and shared == stock


@pytest.mark.parametrize(
    ("text", "shared"),
    [
        ("p { margin: 2pt; color: #123456 }", True),
        ("p { width: calc(10pt + 5vw) }", False),
        ("p { height: 3dvh }", False),
        ("p { padding: inherit }", False),
        ("p { all: unset }", False),
    ],
)
def test_a_stylesheet_is_shared_unless_it_depends_on_the_page_or_the_parent(text, shared):
    css = render.css_stylesheet(text)
    assert (css in styles._SHAREABLE) is shared


def test_a_document_with_its_own_stylesheet_computes_its_own_styles(monkeypatch):
    """A document's ``<style>`` is parsed for it alone: nothing of it is shared."""
    html = "<html><head><style>p { color: #aa0000 }</style></head><body><p>x</p></body></html>"
    stock, shared = stock_and_shared(monkeypatch, [(html, "p { margin: 0 }")] * 2)
    assert shared == stock
    assert not styles._local.sets


#: WeasyPrint 70's code that trainer/documents/styles.py follows: a new release that changes
#: any of it must be read again before the digests are updated.
FOLLOWED = {
    "weasyprint.css.StyleFor.__init__": "b1e725a7552502aa",
    "weasyprint.css.StyleFor.set_computed_styles": "b5b15856b8beff3f",
    "weasyprint.css.get_all_computed_styles": "e4063ec7d60e70be",
    "weasyprint.css.ComputedStyle.__init__": "ffbc48647d0d85e2",
    "weasyprint.css.ComputedStyle.__missing__": "b318d8efc8ac79d7",
    "weasyprint.css.AnonymousStyle.__init__": "9fbdd74c1ad0945a",
    "weasyprint.document.Document._build_layout_context": "2b072254ab89701b",
    "weasyprint.HTML.render": "4e36af1660e9b64b",
}


def followed(name):
    import importlib

    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        return hashlib.sha256(inspect.getsource(target).encode()).hexdigest()[:16]
    raise LookupError(name)


@pytest.mark.parametrize("name", sorted(FOLLOWED))
def test_the_weasyprint_code_shared_styles_follow_is_unchanged(name):
    assert followed(name) == FOLLOWED[name]


def test_the_laid_out_document_is_freed_before_the_collector_is_back(monkeypatch):
    """``write_pdfs`` lets go of the laid-out document before ``fewer_collections`` gives
    the garbage collector its thresholds back (it would go through all of it first)."""
    import weakref
    from contextlib import contextmanager

    made, alive = [], []
    real_render, real_fewer = render.render_document, render.fewer_collections

    def keep_a_weak_reference(*args, **kwargs):
        document = real_render(*args, **kwargs)
        made.append(weakref.ref(document))
        return document

    @contextmanager
    def watched():
        with real_fewer():
            yield
            alive.append(made[-1]() is not None)

    monkeypatch.setattr(render, "render_document", keep_a_weak_reference)
    monkeypatch.setattr(render, "fewer_collections", watched)
    parts = render.write_pdfs("<p>Lò Thị Hương</p><p style='break-before: page'>x</p>", [1, 1])
    assert len(parts) == 2 and alive == [False]


def test_the_shared_styles_are_bounded(monkeypatch):
    """Past ``MAX_STYLES`` in a thread, the next document starts from none kept; and only the
    last ``MAX_SETS`` sets of stylesheets are kept."""
    html = "<html><body><div><p>Lò Thị Hương</p><p>x</p></div></body></html>"
    styles.drop()
    write(html, "p { color: #000001 }")
    [count] = map(len, styles._local.sets.values())
    monkeypatch.setattr(styles, "MAX_STYLES", count - 1)
    write(html, "p { color: #000002 }")
    assert [len(kept) for kept in styles._local.sets.values()] == [0, count]
    monkeypatch.setattr(styles, "MAX_SETS", 2)
    write(html, "p { color: #000003 }")
    assert len(styles._local.sets) == 2
