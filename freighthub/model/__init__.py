"""Validated, frozen data models and the loaders that build them from TOML files."""

from freighthub.model.hub import Hub, load_hub, load_hubs
from freighthub.model.sourced import Sourced

__all__ = ["Hub", "Sourced", "load_hub", "load_hubs"]
