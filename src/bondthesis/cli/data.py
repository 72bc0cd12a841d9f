"""Data commands: refresh, status, series (filled in by the foundation work)."""

from __future__ import annotations
