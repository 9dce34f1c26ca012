"""The pickers' suggestions (static/js/picker.js): small JSON answers for part of a unit's or a
person's name or code, within the signed-in user's scope. Always JSON, errors included."""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.scope import Capability, scope_for
from ..errors import Common
from ..labels import STATUSES
from ..org.search import BadQuery, check_query, search_staff, search_units, unit_paths
from ..timeutil import local_today
from .blueprint import bp


def _error(status, code, message):
    response = jsonify(error=str(code), message=message)
    response.status_code = status
    return response


def _answer(items, more):
    # never kept by a browser or proxy: the cache policy (http_policy) says no-store
    return jsonify(items=items, more=more)


def _picker_request():
    """``(scope, text, None)`` for a usable request, else ``(None, None, error answer)``."""
    if not current_user.is_authenticated:
        return None, None, _error(401, Common.UNAUTHORIZED, _("Please sign in."))
    scope = scope_for(current_user)
    if not scope.can(Capability.BROWSE_UNITS):
        return None, None, _error(404, Common.NOT_FOUND, _("This does not exist."))
    try:
        text = check_query(request.args.get("q"))
    except BadQuery:
        message = _("Type 1 to 100 characters of a name or a code.")
        return None, None, _error(400, "bad_query", message)
    return scope, text, None


@bp.route("/pick/units")
def pick_units():
    """Units in force today and in scope whose name or code matches ``q``, with their path."""
    scope, text, refused = _picker_request()
    if refused:
        return refused
    units, more = search_units(scope.unit_condition(), text, local_today())
    paths = unit_paths(units)
    items = [
        {
            "value": unit.code,
            "label": unit.name,
            "path": paths[unit.id],
            "detail": " · ".join(
                part for part in (unit.code, paths[unit.id].rpartition(" › ")[0]) if part
            ),
        }
        for unit in units
    ]
    return _answer(items, more)


@bp.route("/pick/staff")
def pick_staff():
    """People in scope whose name or staff code matches ``q``, with their code and unit."""
    scope, text, refused = _picker_request()
    if refused:
        return refused
    people, more = search_staff(scope, text)
    items = [
        {
            "value": person.staff_code,
            "label": person.full_name,
            "unit": person.org_unit.name,
            "detail": " · ".join(
                [person.staff_code, person.org_unit.name]
                + (
                    [str(STATUSES.get(person.status, person.status))]
                    if person.status != "active"
                    else []
                )
            ),
        }
        for person in people
    ]
    return _answer(items, more)
