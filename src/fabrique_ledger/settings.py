"""The ledger's settings (DESIGN §5), read from ``ledger/fabrique.yaml``.

Policies are validated here, once, so that the split code can trust its parameters: a typo in a
policy name or an alpha of 3 is a problem in the settings file, not a surprise in the payouts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError, model_validator

from .i18n import M_
from .periods import LENGTHS
from .records import DEFAULT_KINDS, Day, Handle, Number, Text
from .wiki import WikiSettings

SETTINGS_PATH = "ledger/fabrique.yaml"
CHARTER_PATH = "charter.md"  # at the repository root: its version is the sha256 of its bytes

# Minor-unit digits of the currencies a commons is likely to use; any other ISO code gets 2.
MINOR_DIGITS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "XOF": 0, "XAF": 0, "TND": 3, "KWD": 3, "BHD": 3}


def digits_of(currency: str) -> int:
    """The minor digits of a currency: 2, or 0 or 3 for those of MINOR_DIGITS."""
    return MINOR_DIGITS.get(currency, 2)

POLICY_NAMES = ("proportional", "equal", "hybrid", "requests", "peer", "recent", "balanced")
# Each policy's parameters: name -> (default, lowest, highest, integer?)
POLICY_PARAMS: dict[str, dict[str, tuple[Decimal, Decimal, Decimal | None, bool]]] = {
    "proportional": {},
    "equal": {},
    "hybrid": {"alpha": (Decimal("0.5"), Decimal(0), Decimal(1), False)},
    "requests": {"approvals": (Decimal(1), Decimal(1), None, True)},
    "peer": {"points": (Decimal(100), Decimal(1), None, True)},
    "recent": {"discount": (Decimal("0.5"), Decimal(0), Decimal(1), False)},
    "balanced": {},
}


class PolicyPart(BaseModel):
    """One policy with its parameters; ``fraction`` is its part of the budget inside a mix."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: Literal[POLICY_NAMES]  # type: ignore[valid-type]
    fraction: Number | None = None
    alpha: Number | None = None
    discount: Number | None = None
    approvals: Number | None = None
    points: Number | None = None

    @model_validator(mode="after")
    def _params_fit_the_policy(self) -> PolicyPart:
        allowed = POLICY_PARAMS[self.name]
        for key in ("alpha", "discount", "approvals", "points"):
            value = getattr(self, key)
            if value is None:
                continue
            if key not in allowed:
                takes = ", ".join(allowed) or "no parameter"
                raise ValueError(M_("policy '{name}' has no parameter '{key}' (it takes {takes})", name=self.name, key=key, takes=takes))
            _ignored, low, high, integer = allowed[key]
            if value < low or (high is not None and value > high) or (integer and value != int(value)):
                bound = f"between {low} and {high}" if high is not None else f"a whole number >= {low}"
                raise ValueError(M_("'{key}' of policy '{name}' must be {bound}, not {value}", key=key, name=self.name, bound=bound, value=value))
        if self.fraction is not None and not Decimal(0) < self.fraction <= Decimal(1):
            raise ValueError(M_('a mix fraction must be more than 0 and at most 1, not {fraction}', fraction=self.fraction))
        return self

    def part_of_budget(self) -> Decimal:
        """``fraction``, which every part of ``Policy.parts()`` has: a mix requires it, a single policy is 1."""
        if self.fraction is None:
            raise ValueError(f"policy part {self.name!r} has no fraction: take parts from Policy.parts()")
        return self.fraction

    def param(self, key: str) -> Decimal:
        value = getattr(self, key)
        return POLICY_PARAMS[self.name][key][0] if value is None else value

    def params(self) -> dict[str, Decimal]:
        return {key: self.param(key) for key in POLICY_PARAMS[self.name]}


class Policy(BaseModel):
    """Either one policy (``{name: hybrid, alpha: 0.3}``) or a mix (``{mix: [...]}``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: Literal[POLICY_NAMES] | None = None  # type: ignore[valid-type]
    alpha: Number | None = None
    discount: Number | None = None
    approvals: Number | None = None
    points: Number | None = None
    mix: tuple[PolicyPart, ...] | None = Field(default=None, min_length=1, max_length=20)

    @model_validator(mode="after")
    def _one_or_a_mix(self) -> Policy:
        if (self.name is None) == (self.mix is None):
            raise ValueError(M_("a policy has either a 'name' or a 'mix' list, like {name: proportional}"))
        if self.mix is not None:
            if any(getattr(self, k) is not None for k in ("alpha", "discount", "approvals", "points")):
                raise ValueError(M_("in a mix, parameters go inside each part of the mix"))
            if any(part.fraction is None for part in self.mix):
                raise ValueError(M_("every part of a mix needs a 'fraction' of the budget"))
            total = sum(part.fraction for part in self.mix)  # type: ignore[misc]
            if total != 1:
                raise ValueError(M_('the fractions of a mix must add up to 1, they add up to {total}', total=total))
        else:
            self.parts()  # validates the parameters against the policy
        return self

    def parts(self) -> tuple[PolicyPart, ...]:
        if self.mix is not None:
            return self.mix
        params = {k: getattr(self, k) for k in ("alpha", "discount", "approvals", "points")}
        return (PolicyPart(name=self.name, fraction=Decimal(1), **params),)

    def describe(self) -> dict:
        """A JSON-ready description with every parameter made explicit (defaults included)."""
        parts = [
            {"name": p.name, "fraction": str(p.fraction), **{k: str(v) for k, v in p.params().items()}}
            for p in self.parts()
        ]
        return parts[0] if self.mix is None else {"mix": parts}


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Text = "Fabrique des Mobilités"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    period: Literal[LENGTHS] = "half-year"  # type: ignore[valid-type]
    commons_share: Number = Decimal(0)
    min_payout: Number = Decimal(0)
    cap: Number | None = None
    require_review: StrictBool = False
    grace_periods: Annotated[StrictInt, Field(ge=1, le=20)] = 1
    suggested_rate: Number | None = None
    weights: dict[Handle, Number] = Field(default_factory=dict)
    policy: Policy = Policy(name="proportional")
    # Who may write what (DESIGN §7): whether records must be committed signed by the member they name (or
    # a steward), from which day, and the stewards (who may sign anything: seals, payments, settings).
    signatures: Literal["off", "warn", "required"] = "off"
    signatures_since: Day | None = None
    stewards: tuple[Handle, ...] = ()
    # The commons' MediaWiki, for fab wiki publish / harvest (issue 16): its api.php and the pages' titles.
    wiki: WikiSettings | None = None

    @model_validator(mode="after")
    def _ranges(self) -> Settings:
        if not Decimal(0) <= self.commons_share < Decimal(1):
            raise ValueError(M_('commons_share must be at least 0 and below 1, not {commons_share}', commons_share=self.commons_share))
        if self.cap is not None and not Decimal(0) < self.cap <= Decimal(1):
            raise ValueError(M_('cap must be more than 0 and at most 1, not {cap}', cap=self.cap))
        if self.min_payout < 0:
            raise ValueError(M_('min_payout cannot be negative, not {min_payout}', min_payout=self.min_payout))
        if self.suggested_rate is not None and not Decimal(0) <= self.suggested_rate <= Decimal(1):
            raise ValueError(M_('suggested_rate must be between 0 and 1, not {suggested_rate}', suggested_rate=self.suggested_rate))
        if any(w < 0 for w in self.weights.values()):
            raise ValueError(M_("weights cannot be negative"))
        return self

    @property
    def digits(self) -> int:
        return digits_of(self.currency)

    @property
    def kinds(self) -> tuple[str, ...]:
        """Contribution kinds: the usual ones plus any kind given a weight in the settings."""
        return tuple(dict.fromkeys((*DEFAULT_KINDS, *self.weights)))

    def weight(self, kind: str) -> Decimal:
        return self.weights.get(kind, Decimal(1))


POLICY_KEYS = ("alpha", "discount", "approvals", "points")
OVERRIDABLE = ("cap", "min_payout", "commons_share")


def with_overrides(settings: Settings, policy: str | None, params: dict[str, Decimal]) -> Settings:
    """The settings for a what-if: another policy, its parameters, or cap/min_payout/commons_share.

    Raises ValueError with a sentence for the user when a name or a value does not fit.
    """
    unknown = sorted(set(params) - set(POLICY_KEYS) - set(OVERRIDABLE))
    if unknown:
        raise ValueError(M_("unknown parameter '{unknown}' (known: {value})", unknown=unknown[0], value=', '.join((*POLICY_KEYS, *OVERRIDABLE))))
    new_params = {k: v for k, v in params.items() if k in POLICY_KEYS}
    data = settings.model_dump()
    if policy is not None or new_params:
        if policy is None and settings.policy.mix is not None:
            raise ValueError(M_("the settings split by a mix of policies; choose one with --policy to set its parameters"))
        name = policy or settings.policy.name
        kept = {k: getattr(settings.policy, k) for k in POLICY_KEYS if name == settings.policy.name}
        data["policy"] = {"name": name, **{k: v for k, v in kept.items() if v is not None}, **new_params}
    data.update({k: v for k, v in params.items() if k in OVERRIDABLE})
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        raise ValueError("; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())) from None
