"""Where freighthub finds its shipped data folders (``hubs/``, ``standards/``, ``scenarios/``)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "shipped_dir"]

_REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir(kind: str) -> Path:
    """The default folder of a data kind.

    Looked up in order: ``$FREIGHTHUB_HOME/<kind>``; ``./<kind>`` in the working
    directory; the folder beside the freighthub source tree (editable install).
    If none exists, ``./<kind>`` is returned so that the caller's error names it.
    """
    home = os.environ.get("FREIGHTHUB_HOME")
    if home:
        return Path(home) / kind
    here = Path.cwd() / kind
    if here.is_dir():
        return here
    shipped = _REPO_ROOT / kind
    if shipped.is_dir():
        return shipped
    return here


def shipped_dir(kind: str) -> Path:
    """The folder of a data kind beside the freighthub source tree (editable install),
    whatever the working directory and ``$FREIGHTHUB_HOME``."""
    return _REPO_ROOT / kind
