"""Names people type on the command line (handles, record ids), looked up before anything is drafted, so
that a typo is told as the option it was typed in, with the name it was probably meant to be (issue 15):

    error: --by: 'alcie' is not a member — did you mean alice?
    error: --by: 'Bruno' is not a handle: handles are lowercase: bruno
    error: --by: emma's member file has a problem: ledger/members/emma.yaml:3:1

A member whose file cannot be read is not "missing": the error points at the file.  Creating the thing
is suggested only when nothing close exists.  Exit status 1, like the ledger problem it would have been.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, NoReturn

from ..i18n import _
from .common import fail

if TYPE_CHECKING:
    from ..ledger import Ledger
    from .options import Write

ID = r"^[a-z0-9][a-z0-9-]{0,79}$"


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name nearest to ``name`` (difflib's ratio at least 0.6), or None."""
    found = difflib.get_close_matches(name.lower(), sorted(known), n=1, cutoff=0.6)
    return found[0] if found else None


def _broken(current: Ledger, folder: str, name: str) -> str | None:
    """'path:line:col' of the first problem of the record file ``name`` under ``folder``, when it has one."""
    for problem in current.problems:
        path = str(problem.path)
        if path.startswith(f"ledger/{folder}/") and path.rsplit("/", 1)[-1] == f"{name}.yaml":
            return problem.location()
    return None


def _refuse(option: str, message: str, hint: str) -> NoReturn:
    fail(_("{option}: {message}").format(option=option, message=message), hint)


def member(current: Ledger, handle: str, option: str) -> str:
    """``handle`` when it names a member; otherwise exit 1 saying what it is likely to be."""
    if handle in current.members:
        return handle
    lower = handle.strip().lower()
    if lower != handle and lower in current.members:
        why = (_("handles are lowercase") if handle.strip() == handle
               else _("it has spaces or a line break around it"))  # matched whole, never stripped quietly
        _refuse(option, _("'{handle}' is not a handle: {why}: {lower}").format(handle=handle, why=why, lower=lower),
                _("write {option} {lower}").format(option=option, lower=lower))
    where = _broken(current, "members", lower)
    if where:
        _refuse(option, _("{handle}'s member file has a problem: {where}").format(handle=lower, where=where),
                _("fix that file first (fab check shows every problem)"))
    close = closest(handle, current.members)
    if close:
        _refuse(option, _("'{handle}' is not a member — did you mean {close}?").format(handle=handle, close=close),
                _("see the members with: fab member list"))
    hint = (_("add them first: fab member add {handle} --name NAME").format(handle=handle) if re.fullmatch(ID, handle)
            else _("see the members with: fab member list"))
    _refuse(option, _("'{handle}' is not a member").format(handle=handle), hint)


def review_target(current: Ledger, target: str, option: str = "TARGET") -> str:
    """``target`` when it is the id of a contribution or a request (a request's period may be typed as
    2026-H1, see records.typed_id); otherwise exit 1 with the likely id."""
    from ..records import typed_id

    known = {*current.contributions, *current.requests}
    meant = typed_id(target)
    if meant in known:
        return meant
    where = _broken(current, "contributions", meant) or _broken(current, "requests", meant)
    if where:
        _refuse(option, _("the record '{target}' has a problem: {where}").format(target=target, where=where),
                _("fix that file first (fab check shows every problem)"))
    close = closest(meant, known)
    message = _("'{target}' is neither a contribution nor a request").format(target=target)
    if close:
        message = _("{message} — did you mean {close}?").format(message=message, close=close)
    _refuse(option, message, _("the ids are the file names under ledger/contributions/ and ledger/requests/"))


def acting(current: Ledger, handle: str, write: Write) -> None:
    """After a record of a member's own act (a signature, a review, a request, an allocation) is committed:
    it is committed as them when their file has an email; without one, say whose name the commit carries
    (issue 15, item 10)."""
    from .common import echo

    found = current.members.get(handle)
    if found is not None and not found.email and write.author is None and not write.dry_run and not write.no_commit:
        echo(_("note: {handle} has no email in their member file, so this commit carries your git identity, not "
               "theirs (fab verify reports it); add an email to ledger/members/{handle}.yaml, or pass --author "
               "'Name <email>'").format(handle=handle), err=True)
