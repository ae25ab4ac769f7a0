"""The schema of statistics files: hub throughputs, service volumes, mode shares,
transit times, and the tolerance policy.

Split from :mod:`freighthub.model.statistics` (which loads, cross-checks against a
scenario and re-exports these types): the field types and the rules within one file.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from freighthub.model.fields import (
    FieldRule,
    Frozen,
    HubId,
    Id,
    NonNegativeFloat,
    PositiveFloat,
    Share,
    Text,
    exactly_one,
)
from freighthub.model.sourced import Sourced

__all__ = [
    "HubThroughput",
    "ModeShare",
    "ServiceVolume",
    "StatisticsFile",
    "Tolerance",
    "Tolerances",
    "TransitDays",
]

Year = Annotated[int, Field(ge=1900, le=2100)]
DayRange = Annotated[tuple[NonNegativeFloat, NonNegativeFloat], Field(min_length=2, max_length=2)]


class HubThroughput(Frozen):
    """Published container throughput of a hub in the file's year.

    ``teu`` [TEU/year] and optionally ``t`` [t/year]: everything the hub handled
    (the model's ``handled_teu``/``handled_t``, annualised).
    """

    hub: Id
    teu: Sourced[PositiveFloat]
    t: Sourced[PositiveFloat] | None = None


class ServiceVolume(Frozen):
    """Published volume of one service, a set of services or a border crossing.

    Exactly one subject: ``service`` (a service id), ``services`` (several, summed)
    or ``border_crossing`` (every rail service of the scenario that queues at it).
    At least one figure: ``teu`` [TEU/year], ``trains`` (rail departures per year) or
    ``sailings`` (waterborne departures per year).
    """

    name: Id | None = None
    service: Id | None = None
    services: Annotated[tuple[Id, ...], Field(min_length=1)] | None = None
    border_crossing: Id | None = None
    teu: Sourced[PositiveFloat] | None = None
    trains: Sourced[PositiveFloat] | None = None
    sailings: Sourced[PositiveFloat] | None = None

    @model_validator(mode="after")
    def _one_subject_a_figure(self) -> ServiceVolume:
        exactly_one(self, ("service", "services", "border_crossing"), "subject")
        if self.teu is None and self.trains is None and self.sailings is None:
            raise FieldRule("teu", "give at least one of teu, trains or sailings")
        if self.trains is not None and self.sailings is not None:
            raise FieldRule(
                "sailings", "give trains (rail) or sailings (waterborne), not both", self.sailings
            )
        return self

    @property
    def subject(self) -> str:
        """The subject as shown in tables: ``name``, else the service id(s) or crossing."""
        if self.name is not None:
            return self.name
        if self.service is not None:
            return self.service
        if self.services is not None:
            return "+".join(self.services)
        return f"border crossing {self.border_crossing}"

    def service_ids(self, crossings: dict[str, str | None]) -> tuple[str, ...]:
        """The service ids the entry sums over.

        Parameters
        ----------
        crossings
            Border crossing of each service of the scenario, by service id.
        """
        if self.service is not None:
            return (self.service,)
        if self.services is not None:
            return self.services
        return tuple(s for s, c in crossings.items() if c == self.border_crossing)


class ModeShare(Frozen):
    """Published share of a mode in the flows of one subject.

    Exactly one subject: ``hub`` (the routes handled at the hub), ``demands`` (these
    demand ids) or ``corridor = true`` (every demand of the scenario). ``share`` is
    the share of the subject's delivered TEU whose route's main mode (its longest
    leg) is ``mode`` (``basis = "main_mode"``, the default) or whose route has any leg
    by ``mode`` (``basis = "uses_mode"``: a rail-water share at a port, say) [0-1];
    ``definition`` says in words what the publication counted. Shares of one subject
    and basis must sum to at most 1 (``uses_mode`` shares may overlap, so they are
    not summed).
    """

    hub: Id | None = None
    demands: Annotated[tuple[Id, ...], Field(min_length=1)] | None = None
    corridor: Literal[True] | None = None
    mode: Text
    basis: Literal["main_mode", "uses_mode"] = "main_mode"
    share: Sourced[Share]
    definition: Text

    @model_validator(mode="after")
    def _one_subject(self) -> ModeShare:
        exactly_one(self, ("hub", "demands", "corridor"), "subject")
        return self

    @property
    def subject_key(self) -> str:
        """The subject as one text (shares of one subject must sum to at most 1)."""
        if self.hub is not None:
            return f"hub {self.hub}"
        if self.demands is not None:
            return "demands " + "+".join(sorted(self.demands))
        return "corridor"


class TransitDays(Frozen):
    """Published door-to-door transit time range between two nodes [d].

    ``days.value = [low, high]``. The model figure is the mean door-to-door time of
    the delivered boxes of the demands from ``from`` to ``to`` (or of ``demands``).
    """

    from_: Annotated[Id, Field(alias="from")]
    to: Id
    demands: Annotated[tuple[Id, ...], Field(min_length=1)] | None = None
    days: Sourced[DayRange]

    @model_validator(mode="after")
    def _low_not_above_high(self) -> TransitDays:
        low, high = self.days.value
        if low > high:
            raise FieldRule("days", f"low {low:g} must be <= high {high:g}", list(self.days.value))
        return self

    @property
    def subject(self) -> str:
        """``from -> to``."""
        return f"{self.from_} -> {self.to}"


class StatisticsFile(Frozen):
    """One statistics file: published figures of one year (see the module docstring)."""

    id: HubId
    year: Year
    description: Text | None = None
    hub_throughput: tuple[HubThroughput, ...] = ()
    service_volume: tuple[ServiceVolume, ...] = ()
    mode_share: tuple[ModeShare, ...] = ()
    transit_days: tuple[TransitDays, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> StatisticsFile:
        if not (self.hub_throughput or self.service_volume or self.mode_share or self.transit_days):
            raise FieldRule(
                "hub_throughput",
                "the file holds no figure: give [[hub_throughput]], [[service_volume]],"
                " [[mode_share]] or [[transit_days]]",
            )
        for field, figure in self.figures():
            if not figure.is_sourced:
                missing = "source" if figure.source is None else "confidence"
                raise FieldRule(
                    field,
                    f"a published figure needs a source and a confidence label ({missing}"
                    " is missing)",
                    figure,
                )
        seen: dict[str, int] = {}
        for i, h in enumerate(self.hub_throughput):
            if h.hub in seen:
                raise FieldRule(
                    f"hub_throughput[{i}].hub", f"given twice (also [{seen[h.hub]}])", h.hub
                )
            seen[h.hub] = i
        totals: dict[str, float] = {}
        for i, m in enumerate(self.mode_share):
            if m.basis == "uses_mode":
                continue
            totals[m.subject_key] = totals.get(m.subject_key, 0.0) + m.share.value
            if totals[m.subject_key] > 1.0 + _SHARE_SUM_TOLERANCE:
                raise FieldRule(
                    f"mode_share[{i}].share",
                    f"shares of {m.subject_key} sum to {totals[m.subject_key]:.4g}: must be <= 1",
                    m.share.value,
                )
        return self

    def figures(self) -> list[tuple[str, Sourced[Any]]]:
        """Every published value with its dotted field path."""
        out: list[tuple[str, Sourced[Any]]] = []
        for i, h in enumerate(self.hub_throughput):
            out.append((f"hub_throughput[{i}].teu", h.teu))
            if h.t is not None:
                out.append((f"hub_throughput[{i}].t", h.t))
        for i, v in enumerate(self.service_volume):
            for name in ("teu", "trains", "sailings"):
                figure = getattr(v, name)
                if figure is not None:
                    out.append((f"service_volume[{i}].{name}", figure))
        out += [(f"mode_share[{i}].share", m.share) for i, m in enumerate(self.mode_share)]
        out += [(f"transit_days[{i}].days", t.days) for i, t in enumerate(self.transit_days)]
        return out


#: Rounding allowed when shares of one subject are summed [-].
_SHARE_SUM_TOLERANCE = 1e-9


class Tolerance(Frozen):
    """How close the model must come to one kind of figure.

    ``relative``: ``|model - published| <= relative x published``; ``absolute``:
    ``|model - published| <= absolute`` (in the figure's unit); ``range``: the model
    lies within the published range (no number).
    """

    relative: Sourced[PositiveFloat] | None = None
    absolute: Sourced[PositiveFloat] | None = None
    rule: Literal["within_published_range"] | None = None

    @model_validator(mode="after")
    def _one(self) -> Tolerance:
        exactly_one(self, ("relative", "absolute", "rule"), "tolerance")
        return self


class Tolerances(Frozen):
    """The tolerance policy: one :class:`Tolerance` per kind of figure."""

    id: HubId
    description: Text | None = None
    hub_throughput: Tolerance
    service_volume: Tolerance
    mode_share: Tolerance
    transit_days: Tolerance
