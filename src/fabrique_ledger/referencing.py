"""Who is a referenced consultant, since when, and if not, why (DESIGN §7).

A consultant is *referenced* while they hold a signature of the charter dated on or before the day
asked about and no seal has dereferenced them since; signing again brings them back.  The six-monthly
review, the mission services and response templates all ask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .i18n import M_, Capitalized, Joined, Message
from .ledger import Ledger
from .records import Member, Signature


def latest_signature(ledger: Ledger, handle: str, on: date) -> Signature | None:
    found = [s for s in ledger.signatures if s.member == handle and s.date <= on]
    return max(found, key=lambda s: (s.date, s.id)) if found else None


def dereferenced_on(ledger: Ledger, handle: str, after: date, on: date) -> date | None:
    """Date of a seal that dereferenced ``handle`` between ``after`` and ``on``, if any."""
    dates = [s.date for s in ledger.seals.values() if handle in s.dereferenced and after <= s.date <= on]
    return max(dates) if dates else None


def is_referenced(ledger: Ledger, handle: str, on: date) -> bool:
    signature = latest_signature(ledger, handle, on)
    return signature is not None and dereferenced_on(ledger, handle, signature.date, on) is None



@dataclass(frozen=True)
class Standing:
    """Whether ``handle`` is a referenced consultant on ``on``, and if not, why and what to do.

    ``state`` is one of: referenced, unknown (not a member), not-consultant, unsigned (no signature
    dated on or before ``on``), dereferenced (left the referencing at a collective review).
    """

    handle: str
    on: date
    state: str
    member: Member | None = None
    signature: Signature | None = None
    since: date | None = None          # referenced: first day of the current referencing
    left: date | None = None           # dereferenced: the day of the review that dereferenced them
    left_period: str | None = None

    @property
    def referenced(self) -> bool:
        return self.state == "referenced"

    def why(self) -> Message:
        """Why they are not referenced, as the end of a sentence starting with their handle."""
        if self.state == "unknown":
            return M_("is not a member of the ledger")
        if self.state == "not-consultant":
            roles = ", ".join(self.member.roles) if self.member else ""
            return M_('is not a consultant (roles: {roles})', roles=roles)
        if self.state == "unsigned":
            return M_("has not signed the charter")
        if self.state == "dereferenced":
            return M_('left the referencing on {left} (collective review of {left_period})', left=self.left, left_period=self.left_period)
        return M_('is referenced since {since}', since=self.since)

    def why_then(self) -> Message:
        """Why they were not referenced on ``on`` (for a dated step of a mission)."""
        if self.state == "unsigned":
            return M_('{handle} had not signed the charter by then', handle=self.handle)
        if self.state == "dereferenced":
            return M_('{handle} left the referencing on {left} (collective review of {left_period})', handle=self.handle, left=self.left, left_period=self.left_period)
        return Joined([self.handle, self.why()])

    def how(self) -> Message:
        """What to do to become (again) a referenced consultant."""
        h = self.handle
        if self.state == "unknown":
            return M_('fix the handle, or add the member first: fab member add {h} --name ... --role consultant', h=h)
        if self.state == "not-consultant":
            return (M_("the services of the referencing are for consultants: add 'consultant' to the roles in ledger/members/{h}.yaml, then sign the charter with: fab sign {h}", h=h))
        if self.state == "dereferenced":
            return M_('to come back, sign the charter again with: fab sign {h}', h=h)
        return M_('to become referenced, sign the charter with: fab sign {h}', h=h)

    def sentence(self, service: str) -> Message:
        """Why someone is refused ``service`` (e.g. 'mission proposals'), then on a second line what to do."""
        how = self.how()
        return M_('{handle} {why}, and {service} are offered to referenced consultants only.\n{how}', handle=self.handle,
                  why=self.why(), service=service, how=Capitalized(how))


def standing(ledger: Ledger, handle: str, on: date) -> Standing:
    member = ledger.members.get(handle)
    if member is None:
        return Standing(handle, on, "unknown")
    if "consultant" not in member.roles:
        return Standing(handle, on, "not-consultant", member)
    signature = latest_signature(ledger, handle, on)
    if signature is None:
        return Standing(handle, on, "unsigned", member)
    left = dereferenced_on(ledger, handle, signature.date, on)
    if left is not None:
        period = next((s.period for s in ledger.seals.values() if s.date == left and handle in s.dereferenced), "?")
        return Standing(handle, on, "dereferenced", member, signature, left=left, left_period=period)
    return Standing(handle, on, "referenced", member, signature, since=_referenced_since(ledger, handle, on))


def _referenced_since(ledger: Ledger, handle: str, on: date) -> date | None:
    """The first signature after the last dereferencing: when the current referencing began."""
    out = [s.date for s in ledger.seals.values() if handle in s.dereferenced and s.date <= on]
    last_out = max(out) if out else None
    dates = [s.date for s in ledger.signatures
             if s.member == handle and s.date <= on and (last_out is None or s.date > last_out)]
    return min(dates) if dates else None
