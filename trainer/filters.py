"""List filters that remember themselves: a list opened bare shows the filters used last."""

from flask import redirect, request, session, url_for


def remembered_filters(endpoint, names):
    """A redirect to ``endpoint`` with the filters ``names`` last used there when the page is
    opened bare (nothing in its query but ``page`` or ``lang``); otherwise ``None``, after
    remembering the non-empty ones given (a form sent with them all empty forgets them, and
    so does ``?reset=1``). A search text is not among ``names``: it is asked afresh."""
    key = f"filters:{endpoint}"
    if "reset" in request.args:
        session.pop(key, None)
        return redirect(url_for(endpoint))
    if any(key not in ("page", "lang") for key in request.args):
        given = {name: request.args[name] for name in names if request.args.get(name)}
        if given:
            session[key] = given
        else:
            session.pop(key, None)
        return None
    saved = session.get(key)
    if saved:
        extra = {k: v for k, v in request.args.items() if k in ("page", "lang")}
        return redirect(url_for(endpoint, **saved, **extra))
    return None
