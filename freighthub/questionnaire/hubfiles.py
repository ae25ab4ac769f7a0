"""Hub files from a questionnaire, and a questionnaire from hub files.

:func:`import_questionnaire` writes one hub file per hub of a questionnaire into a
folder, only when every row is valid and no file would be replaced unasked.
:func:`export_questionnaire` writes hubs in the questionnaire layout, so that an
export read back by the import gives the same hubs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from freighthub.atomic import ExistingResultError, probe_output, write_text_atomic
from freighthub.model.hub import Hub, HubStatus
from freighthub.model.standard import Standard
from freighthub.model.toml_writer import toml_text
from freighthub.questionnaire.layout import hub_rows, template_rows
from freighthub.questionnaire.reader import read_hubs
from freighthub.questionnaire.sheets import write_table

__all__ = ["export_questionnaire", "hub_toml", "import_questionnaire", "write_template"]

_DATE_KEYS = {"date", "imported"}


def _native(data: Any) -> Any:
    """JSON-mode dump with dates back as dates (TOML writes them as dates), empty lists dropped."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if value == []:
                continue
            if key in _DATE_KEYS and isinstance(value, str):
                out[key] = dt.date.fromisoformat(value)
            else:
                out[key] = _native(value)
        return out
    if isinstance(data, list):
        return [_native(x) for x in data]
    return data


def hub_toml(hub: Hub) -> str:
    """A hub as the text of a hub file that :func:`~freighthub.model.hub.load_hub` reads back."""
    data = _native(hub.model_dump(mode="json", exclude_none=True))
    if hub.status is HubStatus.EXISTING:
        data.pop("status", None)
    header = f"{hub.names.en}"
    record = hub.imported_from
    if record is not None:
        header += (
            f"\nImported by freighthub hubs import from {record.questionnaire} "
            f"(sha256 {record.sha256}) on {record.imported.isoformat()}"
            + (f"; respondent: {record.respondent}" if record.respondent else "")
        )
    return toml_text(data, header)


def import_questionnaire(
    path: str | Path, out: str | Path, *, imported: dt.date, overwrite: bool = False
) -> list[Path]:
    """Read a questionnaire and write one hub file per hub into the folder ``out``.

    Nothing is written if any row is bad or any hub file exists and ``overwrite``
    is false.

    Returns
    -------
    list[Path]
        The files written, in the questionnaire's order.

    Raises
    ------
    DataFileError, QuestionnaireError
        For a file that is no questionnaire, or bad cells (see
        :func:`~freighthub.questionnaire.reader.read_hubs`).
    ExistingResultError
        If a hub file exists and ``overwrite`` is false.
    OutputError
        If the folder cannot be written.
    """
    hubs = read_hubs(path, imported=imported)
    folder = Path(out)
    targets = [folder / f"{hub.id}.toml" for hub in hubs]
    if not overwrite:
        for target in targets:
            if target.exists():
                raise ExistingResultError(target)
    probe_output(targets[0])
    for hub, target in zip(hubs, targets, strict=True):
        write_text_atomic(target, hub_toml(hub), overwrite=overwrite)
    return targets


def export_questionnaire(
    hubs: Iterable[Hub],
    path: str | Path,
    *,
    profile: Standard | None = None,
    overwrite: bool = False,
) -> Path:
    """Write hubs in the questionnaire layout (``.xlsx`` or ``.csv``).

    With a ``profile``, each hub also gets empty rows for the attributes the profile
    reads and the hub does not give, and the rule column says what they are checked
    against: the file goes back to the hubs for completion.

    Raises
    ------
    DataFileError, ExistingResultError, OutputError
        As :func:`~freighthub.questionnaire.sheets.write_table`, which writes the file.
    """
    rows = [row for hub in hubs for row in hub_rows(hub, profile)]
    return write_table(path, rows, overwrite=overwrite)


def write_template(
    profile: Standard,
    path: str | Path,
    *,
    status: HubStatus = HubStatus.EXISTING,
    overwrite: bool = False,
) -> Path:
    """Write an empty questionnaire for ``profile`` (``.xlsx`` or ``.csv``).

    Raises
    ------
    DataFileError, ExistingResultError, OutputError
        As :func:`~freighthub.questionnaire.sheets.write_table`, which writes the file.
    """
    return write_table(path, template_rows(profile, status), overwrite=overwrite)
