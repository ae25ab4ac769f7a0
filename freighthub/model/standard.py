"""Standards and profiles: one TOML file per standard and edition in ``standards/``.

A *standard* file codifies the criteria of one published document (a regulation, an
agreement, a national standard), each with its threshold, its source (document,
clause, edition, URL) and a confidence label. A *profile* (``standards/profiles/``)
is the same format with ``kind = "profile"``; it combines criteria of several
standards by reference (``{ standard = "...", criterion = "...", weight = ... }``)
and may define its own. Files are selected by their id, which equals the file name.
The format is documented in ``docs/data-formats.md``.

Validation goes beyond field types: every criterion reads an attribute that exists
in the hub format and has the type its rule needs, ids are unique within a file and
across all files, graded bands are ordered, a partial threshold lies on the failing
side of the pass threshold, units come from :data:`KNOWN_UNITS` and fit the unit the
attribute's name carries (``yard_capacity_teu`` is in ``TEU``, ``annual_throughput_teu``
in ``TEU/year``), and weights are given for all criteria of a file or for none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.fields import Frozen, HubId, NonNegativeFloat
from freighthub.model.fields import Text as NonEmpty  # ``Text`` here is the bilingual name
from freighthub.model.files import files_in, id_is_file_name, read_toml, toml_files_in, validate
from freighthub.model.paths import data_dir
from freighthub.model.profile_ranges import check_profile_ranges
from freighthub.model.standard_schema import (
    _RULE_KIND,
    KNOWN_UNITS,
    Criterion,
    CriterionRef,
    GradeBand,
    PartialThreshold,
    ReferenceValue,
    SourceRef,
    Standard,
    StandardInfo,
    Text,
    _attribute_kind,
    _StandardFile,
)
from freighthub.scoring.compliance import Direction, RuleKind
from freighthub.units import STANDARD_UNITS, unit_of_field
from freighthub.vocabulary import Confidence

__all__ = [
    "KNOWN_UNITS",
    "Criterion",
    "CriterionRef",
    "PartialThreshold",
    "ReferenceValue",
    "SourceRef",
    "Standard",
    "StandardInfo",
    "Text",
    "check_standard_files",
    "find_standard",
    "load_standard",
    "load_standards",
    "load_weights",
]


# --- checks beyond field types ---------------------------------------------------------


def _check_criterion(c: Criterion, at: str, path: Path) -> None:
    def bad(field: str, value: object, rule: str) -> DataFileError:
        return DataFileError(path, rule, f"{at}.{field}", value)

    if c.unit not in KNOWN_UNITS:
        raise bad("unit", c.unit, "unknown unit; known: " + ", ".join(KNOWN_UNITS))
    kind = _attribute_kind(c.attribute)
    if kind is None:
        raise bad("attribute", c.attribute, "not a hub attribute; see attribute_paths()")
    if kind != _RULE_KIND[c.rule]:
        raise bad(
            "attribute",
            c.attribute,
            f"is a {kind} attribute; rule {c.rule} needs a {_RULE_KIND[c.rule]}",
        )
    if c.per is not None and (_attribute_kind(c.per) != "number" or kind != "number"):
        raise bad("per", c.per, "must be a numeric hub attribute, with a numeric attribute")
    if c.confidence is Confidence.ASSUMPTION and c.note is None:
        raise bad("note", None, "a criterion whose confidence is 'assumption' must say why in note")
    numeric_field = {"threshold": c.threshold, "partial": c.partial}
    categorical = {"allowed": c.allowed or None, "required": c.required}
    graded = {"bands": c.bands or None, "pass_band": c.pass_band, "partial_band": c.partial_band}
    if c.rule in {RuleKind.MINIMUM, RuleKind.MAXIMUM}:
        _only(c, at, path, numeric_field, {**categorical, **graded})
        if c.threshold is None:
            raise DataFileError(path, f"required for rule {c.rule}", f"{at}.threshold")
        want = Direction.BENEFIT if c.rule is RuleKind.MINIMUM else Direction.COST
        if c.direction is not want:
            raise bad("direction", c.direction.value, f"rule {c.rule} needs direction {want}")
        if c.partial is not None:
            p = c.partial.threshold
            if (want is Direction.BENEFIT and p >= c.threshold) or (
                want is Direction.COST and p <= c.threshold
            ):
                side = "below" if want is Direction.BENEFIT else "above"
                raise bad(
                    "partial.threshold", p, f"must lie {side} the pass threshold {c.threshold:g}"
                )
    elif c.rule is RuleKind.BOOLEAN:
        _only(
            c,
            at,
            path,
            {"required": c.required},
            {**numeric_field, **graded, "allowed": c.allowed or None},
        )
        if c.required is None:
            raise DataFileError(path, "required for rule boolean (true or false)", f"{at}.required")
        if c.direction is not Direction.BENEFIT:
            raise bad("direction", c.direction.value, "rule boolean needs direction benefit")
    elif c.rule is RuleKind.ONE_OF:
        _only(
            c, at, path, {"allowed": c.allowed}, {**numeric_field, **graded, "required": c.required}
        )
        if not c.allowed:
            raise DataFileError(
                path, "required for rule one_of (the passing values)", f"{at}.allowed"
            )
        if len(set(c.allowed)) != len(c.allowed):
            raise bad("allowed", list(c.allowed), "lists a value twice")
        if c.direction is not Direction.BENEFIT:
            raise bad("direction", c.direction.value, "rule one_of needs direction benefit")
    else:
        _only(c, at, path, graded, {**numeric_field, **categorical})
        _check_bands(c, at, path)
    if c.unit == "bool" and c.rule is not RuleKind.BOOLEAN:
        raise bad("unit", c.unit, "unit bool needs rule boolean")
    _check_unit(c, bad)


def _check_unit(c: Criterion, bad: Callable[[str, object, str], DataFileError]) -> None:
    """The criterion's unit must count what the attribute's name says it holds.

    Ratio criteria (``per``) and attributes whose name carries no unit (counts,
    classes, yes/no) are not checked.
    """
    carried = unit_of_field(c.attribute)
    if c.per is not None or carried is None:
        return
    unit = STANDARD_UNITS[c.unit]
    if unit.quantity != carried.quantity or unit.per_year != carried.per_year:
        raise bad("unit", c.unit, f"does not fit {c.attribute}, which is in {carried.symbol}")


def _only(
    c: Criterion, at: str, path: Path, allowed: dict[str, Any], forbidden: dict[str, Any]
) -> None:
    for name, value in forbidden.items():
        if value is not None and value is not False:
            shown = value.model_dump() if isinstance(value, BaseModel) else value
            if isinstance(shown, tuple):
                shown = [b.id if isinstance(b, GradeBand) else b for b in shown]
            raise DataFileError(
                path, f"not used by rule {c.rule}; remove it", f"{at}.{name}", shown
            )


def _check_bands(c: Criterion, at: str, path: Path) -> None:
    if not c.bands:
        raise DataFileError(path, "required for rule graded (at least one band)", f"{at}.bands")
    ids = [b.id for b in c.bands]
    for i, band in enumerate(c.bands):
        if band.id in ids[:i]:
            raise DataFileError(path, "band id used twice", f"{at}.bands[{i}].id", band.id)
        if i:
            before = c.bands[i - 1].limit
            rising = c.direction is Direction.BENEFIT
            if (rising and band.limit <= before) or (not rising and band.limit >= before):
                word = "greater" if rising else "smaller"
                raise DataFileError(
                    path,
                    f"must be {word} than the limit of the band before ({before:g}); "
                    "bands are listed lowest grade first",
                    f"{at}.bands[{i}].limit",
                    band.limit,
                )
    for name in ("pass_band", "partial_band"):
        value = getattr(c, name)
        if value is not None and value not in ids:
            raise DataFileError(
                path, "must be one of the band ids: " + ", ".join(ids), f"{at}.{name}", value
            )
    if c.partial_band is not None:
        pass_index = ids.index(c.pass_band) if c.pass_band else 0
        if ids.index(c.partial_band) >= pass_index:
            raise DataFileError(
                path, "must be a band below pass_band", f"{at}.partial_band", c.partial_band
            )


def _check_value(v: ReferenceValue, at: str, path: Path) -> None:
    if v.unit not in KNOWN_UNITS:
        raise DataFileError(
            path, "unknown unit; known: " + ", ".join(KNOWN_UNITS), f"{at}.unit", v.unit
        )


def _check_weights(criteria: Iterable[tuple[str, float | None]], path: Path) -> None:
    given = [(at, w) for at, w in criteria]
    with_weight = [at for at, w in given if w is not None]
    if with_weight and len(with_weight) != len(given):
        missing = next(at for at, w in given if w is None)
        raise DataFileError(
            path,
            "weights must be given for every criterion of a file or for none",
            f"{missing}.weight",
        )


# --- loading ---------------------------------------------------------------------------


def _read(path: Path) -> _StandardFile:
    raw = validate(_StandardFile, read_toml(path), path)
    id_is_file_name(path, raw.standard.id, "standard.id")
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw.criteria):
        at = f"criteria[{i}]"
        if isinstance(entry, CriterionRef):
            if raw.standard.kind != "profile":
                raise DataFileError(
                    path,
                    "a reference to another standard needs kind = 'profile'",
                    f"{at}.criterion",
                    entry.criterion,
                )
            key = entry.criterion
        else:
            _check_criterion(entry, at, path)
            if entry.superseded_by is not None:
                raise DataFileError(
                    path,
                    "set from [standard] superseded_by, not per criterion",
                    f"{at}.superseded_by",
                    entry.superseded_by,
                )
            key = entry.id
        if key in seen:
            raise DataFileError(
                path, f"criterion id used twice (also criteria[{seen[key]}])", f"{at}.id", key
            )
        seen[key] = i
    value_ids: set[str] = set()
    for i, value in enumerate(raw.values):
        _check_value(value, f"values[{i}]", path)
        if value.id in value_ids:
            raise DataFileError(path, "value id used twice", f"values[{i}].id", value.id)
        value_ids.add(value.id)
    if raw.standard.kind == "profile" and not raw.criteria:
        raise DataFileError(path, "a profile needs at least one criterion", "criteria")
    _check_weights(((f"criteria[{i}]", e.weight) for i, e in enumerate(raw.criteria)), path)
    return raw


def _resolve(raw: _StandardFile, path: Path, catalogue: Mapping[str, Standard]) -> Standard:
    criteria: list[Criterion] = []
    origin: dict[str, str] = {}
    for i, entry in enumerate(raw.criteria):
        if isinstance(entry, CriterionRef):
            std = catalogue.get(entry.standard)
            if std is None or std.info.kind != "standard":
                valid = sorted(k for k, s in catalogue.items() if s.info.kind == "standard")
                raise DataFileError(
                    path,
                    "unknown standard; valid: " + ", ".join(valid),
                    f"criteria[{i}].standard",
                    entry.standard,
                )
            found = [c for c in std.criteria if c.id == entry.criterion]
            if not found:
                raise DataFileError(
                    path,
                    f"not a criterion of {entry.standard}; valid: "
                    + ", ".join(c.id for c in std.criteria),
                    f"criteria[{i}].criterion",
                    entry.criterion,
                )
            criteria.append(found[0].model_copy(update={"weight": entry.weight}))
            origin[entry.criterion] = entry.standard
        else:
            criteria.append(
                entry.model_copy(update={"superseded_by": raw.standard.superseded_label()})
            )
            origin[entry.id] = raw.standard.id
    std = Standard(
        info=raw.standard, criteria=tuple(criteria), values=raw.values, origin=origin, path=path
    )
    return std.model_copy(update={"ranges": check_profile_ranges(std, raw.ranges, path)})


def load_standard(path: str | Path, catalogue: Mapping[str, Standard] | None = None) -> Standard:
    """Load and validate one standard or profile file.

    Parameters
    ----------
    path
        The ``.toml`` file; its name without ``.toml`` must equal ``standard.id``.
    catalogue
        Standards a profile's references are resolved against (default: the
        shipped ``standards/`` folder, loaded only if the file has references).

    Raises
    ------
    DataFileError
        If the file is missing, not TOML, breaks a field rule, or a reference does
        not resolve. The message names the file, the field, the value and the rule.
    """
    p = Path(path)
    raw = _read(p)
    if catalogue is None and any(isinstance(e, CriterionRef) for e in raw.criteria):
        catalogue = load_standards()
    return _resolve(raw, p, catalogue or {})


def _files(folder: Path) -> list[Path]:
    """A folder's standard files, then those of its ``profiles/`` subfolder."""
    standards = toml_files_in(folder, "standard")
    profiles_dir = folder / "profiles"
    profiles = sorted(profiles_dir.glob("*.toml")) if profiles_dir.is_dir() else []
    return standards + profiles


def load_standards(folder: str | Path | None = None) -> dict[str, Standard]:
    """Load every standard in ``folder`` and every profile in ``folder/profiles``.

    Parameters
    ----------
    folder
        Default: the shipped ``standards/`` folder (see :func:`~freighthub.model.paths.data_dir`).

    Returns
    -------
    dict[str, Standard]
        Standards and profiles by id, sorted by id.

    Raises
    ------
    DataFileError
        For the first invalid file, a standard id used twice, or a criterion id
        defined in two files.
    """
    standards, errors = check_standard_files([Path(folder) if folder else data_dir("standards")])
    if errors:
        raise errors[0]
    return standards


def check_standard_files(
    paths: Iterable[str | Path], catalogue: Mapping[str, Standard] | None = None
) -> tuple[dict[str, Standard], list[DataFileError]]:
    """Validate standard and profile files and collect every error, one per file.

    A folder contributes its ``*.toml`` files and those of its ``profiles/``
    subfolder. Profiles are resolved against the standards given, then against
    ``catalogue`` (default: the shipped standards, if a profile needs them).

    Returns
    -------
    tuple
        The standards that loaded (by id, sorted) and one :class:`DataFileError`
        per problem.
    """
    errors: list[DataFileError] = []
    files = files_in(paths, _files, errors)
    raws: list[tuple[Path, _StandardFile]] = []
    for f in files:
        try:
            raws.append((f, _read(f)))
        except DataFileError as exc:
            errors.append(exc)
    loaded: dict[str, Standard] = {}
    defined_in: dict[str, str] = {}
    origin_file: dict[str, Path] = {}
    # plain standards first, so that profiles can reference them
    ordered = sorted(raws, key=lambda fr: fr[1].standard.kind != "standard")
    for f, raw in ordered:
        sid = raw.standard.id
        if sid in loaded:
            errors.append(
                DataFileError(
                    f, f"standard id already defined in {origin_file[sid]}", "standard.id", sid
                )
            )
            continue
        clash = _clashing_criterion(raw, defined_in)
        if clash is not None:
            i, cid = clash
            errors.append(
                DataFileError(
                    f,
                    f"criterion id already defined in standard {defined_in[cid]}",
                    f"criteria[{i}].id",
                    cid,
                )
            )
            continue
        try:
            pool: dict[str, Standard] = dict(loaded)
            if any(isinstance(e, CriterionRef) for e in raw.criteria):
                missing = {e.standard for e in raw.criteria if isinstance(e, CriterionRef)} - set(
                    pool
                )
                if missing:
                    pool = {**(catalogue if catalogue is not None else _shipped()), **pool}
            std = _resolve(raw, f, pool)
        except DataFileError as exc:
            errors.append(exc)
            continue
        loaded[sid] = std
        origin_file[sid] = f
        for c in raw.criteria:
            if isinstance(c, Criterion):
                defined_in[c.id] = sid
    return dict(sorted(loaded.items())), errors


def _clashing_criterion(
    raw: _StandardFile, defined_in: Mapping[str, str]
) -> tuple[int, str] | None:
    for i, entry in enumerate(raw.criteria):
        if isinstance(entry, Criterion) and entry.id in defined_in:
            return i, entry.id
    return None


def _shipped() -> dict[str, Standard]:
    folder = data_dir("standards")
    if not folder.is_dir():
        return {}
    standards, _ = check_standard_files([folder], catalogue={})
    return standards


def find_standard(standard_id: str, folder: str | Path | None = None) -> Standard:
    """The standard or profile with this id.

    Raises
    ------
    UnknownIdentifierError
        Listing the valid ids.
    DataFileError
        If a file in the folder is invalid.
    """
    standards = load_standards(folder)
    if standard_id not in standards:
        raise UnknownIdentifierError("standard", standard_id, standards)
    return standards[standard_id]


class _WeightsFile(Frozen):
    weights: dict[HubId, NonNegativeFloat]
    note: NonEmpty | None = None


def load_weights(path: str | Path) -> dict[str, float]:
    """Read a weights file: a ``[weights]`` table of ``criterion-id = weight``.

    Weights are >= 0 and need not sum to 1 (they are normalised). Whether they
    cover the criteria of a standard is checked by :func:`freighthub.assessment.assess`.

    Raises
    ------
    DataFileError
        If the file is missing, not TOML, or a weight is negative or not a number.
    """
    p = Path(path)
    data = validate(_WeightsFile, read_toml(p), p)
    if not data.weights:
        raise DataFileError(p, "must hold at least one criterion = weight", "weights")
    return dict(data.weights)
