"""Computed styles shared between WeasyPrint documents made with the same stylesheets.

WeasyPrint computes the style of every element of every document: within one document it
shares the style of elements whose parent's style, style attribute and matched rules are the
same, never between documents, so a lone certificate computed ~3,300 values a pass of 20
computed ~550 of. ``SharedStylesDocument`` keeps, per thread and per set of stylesheets, the
styles of earlier documents under a *structural* key (the parent's key, the element's
attribute declarations, the matched rules) and gives each document its own ``DocumentStyle``
of one: it reads the values computed so far and has the shared style compute the others, and
what layout changes in place (a table's padding, the root's overflow) stays in the document.

A shared style is the one WeasyPrint would compute only when nothing else it depends on can
differ, so sharing is limited to documents whose every stylesheet was registered with
``shareable`` (parsed once by us, and the same objects each time: a document's own
``<style>`` is not) and checked: no viewport units (they are resolved against the
document's first page) and no ``inherit``/``unset``/``revert`` (which read a parent's value
layout may have changed). A document whose attributes hold either is not shared.
Pseudo-elements are shared too (their rules are part of their element's key), except
``::first-line`` and ``::first-letter``, computed for each document as WeasyPrint does
(layout copies the values their style holds so far).

The code below follows WeasyPrint 70's ``Document._build_layout_context``,
``get_all_computed_styles`` and ``StyleFor.__init__`` (weasyprint is pinned to 70.x; a
test fails if they change).
"""

import functools
import itertools
import threading
import weakref
from collections import OrderedDict
from functools import cached_property
from math import inf

import tinycss2
from weasyprint import CSS
from weasyprint.css import (
    AnonymousStyle,
    ComputedStyle,
    InitialStyle,
    StyleFor,
    declaration_precedence,
    find_style_attributes,
    find_stylesheets,
)
from weasyprint.css.counters import CounterStyle
from weasyprint.css.targets import TargetCollector
from weasyprint.css.units import VIEWPORT_UNITS
from weasyprint.css.validation import preprocess_declarations
from weasyprint.document import DiskCache, Document
from weasyprint.images import get_image_from_uri
from weasyprint.layout import LayoutContext
from weasyprint.logger import PROGRESS_LOGGER
from weasyprint.text.fonts import FontConfiguration

#: Stylesheets of ours checked by ``shareable`` (weakly: they stay in their own caches).
_SHAREABLE = weakref.WeakSet()
#: Keywords that take a value from the parent element, which layout may have changed there.
_FROM_PARENT = {"inherit", "unset", "revert", "revert-layer"}
#: Styles kept per thread (≈ 8 kB each, a certificate's design ≈ 40), and sets of
#: stylesheets they are kept for.
MAX_STYLES = 1000
MAX_SETS = 8
#: Pseudo-elements whose styles are computed for each document, as WeasyPrint does.
_OWN_PSEUDO = {"first-line", "first-letter"}
#: The page sizes a shared style sees: none (it never reads them, see ``shareable``).
_NO_PAGE = {"box": None, "area": None}

_local = threading.local()
_serials = itertools.count()


def _depends_on_context(nodes):
    """Whether CSS ``nodes`` use a viewport unit or take a value from the parent."""
    for node in nodes:
        if node.type == "dimension" and node.lower_unit in VIEWPORT_UNITS:
            return True
        if node.type == "ident" and node.lower_value in _FROM_PARENT:
            return True
        for name in ("value", "arguments", "content", "prelude"):
            inner = getattr(node, name, None)
            if isinstance(inner, list) and _depends_on_context(inner):
                return True
    return False


def shareable(css, text):
    """Register ``css`` (a WeasyPrint ``CSS`` parsed from ``text``, kept and handed to every
    document) for shared styles, unless ``text`` uses what a shared style cannot see."""
    if not _depends_on_context(tinycss2.parse_component_value_list(text)):
        _SHAREABLE.add(css)
    return css


def drop():
    """Forget this thread's shared styles (they hold its font configuration)."""
    _local.sets = None


def _styles_for(key):
    """This thread's styles for one set of stylesheets (fonts, base URL), most recent last."""
    sets = getattr(_local, "sets", None)
    if sets is None:
        sets = _local.sets = OrderedDict()
    if key in sets:
        sets.move_to_end(key)
    else:
        if len(sets) >= MAX_SETS:
            sets.popitem(last=False)
        sets[key] = {}
    if sum(map(len, sets.values())) > MAX_STYLES:
        for kept in sets.values():
            kept.clear()
    return sets[key]


class DocumentAnonymousStyle(AnonymousStyle):
    """A document's style of the anonymous boxes of an element: reads the shared one's values,
    keeps its own changes (e.g. a list marker's ``white-space``)."""

    def __init__(self, shared, parent_style):
        dict.__init__(self, shared)
        self.shared = shared
        self.parent_style = parent_style
        self.root_style = parent_style.root_style
        self.specified = self
        self.cache = parent_style.cache
        self.font_config = parent_style.font_config

    def __missing__(self, key):
        value = self[key] = self.shared[key]
        return value


class DocumentStyle(ComputedStyle):
    """A document's computed style of an element, from a style shared between documents: the
    values computed so far are copied, the others computed by the shared style (and kept
    there for the next documents); what layout sets in place stays here."""

    def __init__(self, shared):
        dict.__init__(self, shared)
        self.shared = shared
        self.specified = shared.specified
        self.parent_style = shared.parent_style
        self.cascaded = shared.cascaded
        self.is_root_element = shared.is_root_element
        self.pseudo_type = shared.pseudo_type
        self.root_style = shared.root_style
        self.base_url = shared.base_url
        self.font_config = shared.font_config
        self.initial_page_sizes = shared.initial_page_sizes
        self.cache = shared.cache

    def __missing__(self, key):
        value = self.shared[key]
        if key != "page":  # as ComputedStyle: ``page: auto`` is looked up each time
            self[key] = value
        return value

    @cached_property
    def anonymous_style(self):
        return DocumentAnonymousStyle(self.shared.anonymous_style, self)


class SharedStyleFor(StyleFor):
    """WeasyPrint's ``StyleFor`` whose elements' styles are ``DocumentStyle``s of ``styles``
    (``{structural key: (serial, shared ComputedStyle)}``)."""

    def __init__(self, html, sheets, presentational_hints, font_config, target_collector, styles):
        # WeasyPrint 70's StyleFor.__init__, with structural keys and shared styles
        self._cascaded_styles = cascaded_styles = {}
        self._computed_styles = computed_styles = {}
        self.initial_page_sizes = {"box": None, "area": None}
        self._sheets = sheets
        self.font_config = font_config

        PROGRESS_LOGGER.info("Step 3 - Applying CSS")
        layer_order = inf
        attributes = {}
        for specificity, element, declarations, base_url in find_style_attributes(
            html.etree_element, presentational_hints, html.base_url
        ):
            declarations = tuple(declarations)
            if _depends_on_context(declarations):
                styles = {}  # this document's own, as WeasyPrint's
            attributes[element] = (
                *attributes.get(element, ()),
                (specificity, tinycss2.serialize(declarations)),
            )
            style = cascaded_styles.setdefault((element, None), {})
            for name, values, importance in preprocess_declarations(base_url, declarations):
                precedence = declaration_precedence("author", importance)
                weight = (precedence, layer_order, specificity)
                old_weight = style.get(name, (None, None))[1]
                if old_weight is None or old_weight <= weight:
                    style[name] = values, weight

        # In tree order: a parent's style is made before its children's.
        shared_of, own = {}, {}
        root = None
        for element in html.wrapper_element.iter_subtree():
            etree_element = element.etree_element
            parent = element.parent.etree_element if element.parent else None
            selectors_keys = []
            for index, (sheet, origin, sheet_specificity) in enumerate(sheets):
                for selector in sheet.matcher.match(element):
                    specificity, order, pseudo_type, (declarations, layer) = selector
                    layer_order = inf if layer is None else sheet.layers.index(layer)
                    selectors_keys.append(
                        (index, specificity, pseudo_type, id(declarations), layer_order)
                    )
                    specificity = sheet_specificity or specificity
                    style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
                    for name, values, importance in declarations:
                        precedence = declaration_precedence(origin, importance)
                        weight = (precedence, layer_order, specificity)
                        old_weight = style.get(name, (None, None))[1]
                        if old_weight is None or old_weight <= weight:
                            style[name] = values, weight

            parent_serial, parent_style = shared_of[parent] if parent is not None else (None, None)
            key = (parent_serial, attributes.get(etree_element), tuple(selectors_keys))
            found = styles.get(key)
            if found is None:
                cascaded = cascaded_styles.get((etree_element, None), {})
                if parent is None:
                    initial = InitialStyle(font_config)
                    shared = ComputedStyle(
                        None, cascaded, None, initial, html.base_url, font_config, _NO_PAGE
                    )
                else:
                    shared = ComputedStyle(
                        parent_style, cascaded, None, root, html.base_url, font_config, _NO_PAGE
                    )
                found = styles[key] = (next(_serials), shared)
            shared_of[etree_element] = found
            if parent is None:
                root = found[1]
            # elements of the same key share their style, as in WeasyPrint
            computed = own.get(found[0])
            if computed is None:
                computed = own[found[0]] = DocumentStyle(found[1])
                if target_collector and computed["anchor"]:
                    target_collector.collect_anchor(computed["anchor"])
            computed_styles[etree_element, None] = computed

        # Pseudo-elements: their rules are among their element's matched ones, so the
        # element's key and the type are theirs. Each gets its own style, as in WeasyPrint;
        # ::first-line and ::first-letter are computed for this document (layout copies the
        # values their style holds so far).
        for element, pseudo_type in cascaded_styles:
            if not pseudo_type:
                continue
            if pseudo_type in _OWN_PSEUDO:
                self.set_computed_styles(
                    element,
                    pseudo_type=pseudo_type,
                    root=html.etree_element,
                    parent=element,
                    base_url=html.base_url,
                    target_collector=target_collector,
                )
                continue
            serial, element_style = shared_of[element]
            key = (serial, pseudo_type)
            found = styles.get(key)
            if found is None:
                cascaded = cascaded_styles[element, pseudo_type]
                shared = ComputedStyle(
                    element_style, cascaded, pseudo_type, root, html.base_url, font_config, _NO_PAGE
                )
                found = styles[key] = (next(_serials), shared)
            computed = computed_styles[element, pseudo_type] = DocumentStyle(found[1])
            if target_collector and computed["anchor"]:
                target_collector.collect_anchor(computed["anchor"])
        self._cascaded_styles.clear()


def _has_style_or_link(root):
    """Whether the tree has an element ``find_stylesheets`` reads (``style``, ``link``)."""
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and tag.rpartition("}")[2].lower() in ("style", "link"):
            return True
    return False


def computed_styles(
    html,
    user_stylesheets=None,
    presentational_hints=False,
    font_config=None,
    counter_style=None,
    color_profiles=None,
    page_rules=None,
    layers=None,
    target_collector=None,
    forms=False,
):
    """WeasyPrint 70's ``get_all_computed_styles``: shared styles when every stylesheet is
    ``shareable``, WeasyPrint's own otherwise."""
    sheets = []
    if counter_style is None:
        counter_style = CounterStyle()
    if font_config is None:
        font_config = FontConfiguration()
    for style in html._ua_counter_style():
        for key, value in style.items():
            counter_style[key] = value
    for sheet in html._ua_stylesheets(forms) or []:
        sheets.append((sheet, "user agent", None))
    if presentational_hints:
        for sheet in html._ph_stylesheets() or []:
            sheets.append((sheet, "author", (0, 0, 0)))
    # a document without <style> or <link> has none of its own: not looked for (compiling
    # and running the query was ≈ 0.4 ms of a certificate)
    own = ()
    if _has_style_or_link(html.etree_element):
        own = find_stylesheets(
            html.wrapper_element,
            html.media_type,
            html.url_fetcher,
            html.base_url,
            font_config,
            counter_style,
            color_profiles,
            page_rules,
            layers,
        )
    for sheet in own:
        sheets.append((sheet, "author", None))
    for sheet in user_stylesheets or []:
        sheets.append((sheet, "user", None))

    if all(sheet in _SHAREABLE for sheet, _origin, _specificity in sheets):
        styles = _styles_for((font_config, html.base_url, tuple(sheets)))
        return SharedStyleFor(
            html, sheets, presentational_hints, font_config, target_collector, styles
        )
    return StyleFor(html, sheets, presentational_hints, font_config, target_collector)


class SharedStylesDocument(Document):
    """WeasyPrint's ``Document`` whose styles come from ``computed_styles``."""

    @classmethod
    def _build_layout_context(cls, html, font_config, counter_style, color_profiles, options):
        # WeasyPrint 70's, with computed_styles in place of get_all_computed_styles
        target_collector = TargetCollector()
        page_rules = []
        layers = []
        user_stylesheets = []
        cache = options["cache"]
        if cache is None:
            cache = {}
        elif not isinstance(cache, (dict, DiskCache)):
            cache = DiskCache(cache)
        for css in options["stylesheets"] or []:
            if not hasattr(css, "matcher"):
                css = CSS(
                    guess=css,
                    media_type=html.media_type,
                    font_config=font_config,
                    counter_style=counter_style,
                    color_profiles=color_profiles,
                    url_fetcher=html.url_fetcher,
                )
            user_stylesheets.append(css)
        style_for = computed_styles(
            html,
            user_stylesheets,
            options["presentational_hints"],
            font_config,
            counter_style,
            color_profiles,
            page_rules,
            layers,
            target_collector,
            options["pdf_forms"],
        )
        get_image = functools.partial(
            get_image_from_uri, cache=cache, url_fetcher=html.url_fetcher, options=options
        )
        PROGRESS_LOGGER.info("Step 4 - Creating formatting structure")
        return LayoutContext(style_for, get_image, font_config, counter_style, target_collector)
