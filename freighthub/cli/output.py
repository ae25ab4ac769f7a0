"""Shared CLI plumbing: consoles, the options several commands take, and JSON output.

With ``--json`` a command prints one JSON document on stdout and nothing else.
"""

from __future__ import annotations

import json
import math
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console

__all__ = [
    "ForceOption",
    "HubsDirOption",
    "JsonOption",
    "PackOption",
    "ReplicationsOption",
    "SeedOption",
    "emit_json",
    "err_console",
    "out_console",
    "to_jsonable",
]

out_console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON on stdout and nothing else.")
]

HubsDirOption = Annotated[
    Path | None,
    typer.Option("--hubs", help="Folder of hub files (default: the shipped hubs/)."),
]

PackOption = Annotated[
    str | None,
    typer.Option(
        "--pack", help="Emission factor pack id or file (default: the (base) scenario's)."
    ),
]

SeedOption = Annotated[
    int | None,
    typer.Option("--seed", min=0, help="Random seed (default: the (base) scenario's)."),
]

ReplicationsOption = Annotated[
    int | None,
    typer.Option(
        "--replications", "-r", min=1, help="Replications (default: the (base) scenario's)."
    ),
]

ForceOption = Annotated[bool, typer.Option("--force", help="Replace existing output.")]


def to_jsonable(obj: Any) -> Any:
    """Convert results (pydantic models, dataclasses, enums, paths) into JSON values."""
    if isinstance(obj, BaseModel):
        return to_jsonable(obj.model_dump(mode="json"))
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_jsonable(getattr(obj, k)) for k in obj.__dataclass_fields__}
    if isinstance(obj, dict):
        return {str(to_jsonable(k)): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return to_jsonable(obj.item())
    return obj


def emit_json(obj: Any) -> None:
    """Write ``obj`` as one JSON document to stdout."""
    sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2))
    sys.stdout.write("\n")
