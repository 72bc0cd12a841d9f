"""Settings read from the environment once, frozen, and passed in (never a global)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from bondthesis.errors import ConfigError

__all__ = ["Settings"]

_USER_AGENT_SHAPE = re.compile(r"^\S.*\s+\S+@\S+\.\S+$")


@dataclass(frozen=True)
class Settings:
    """Where the store lives, which keys are set, how the tool identifies itself.

    Build one with :meth:`from_env`; tests build one directly.

    Parameters
    ----------
    home : Path
        Folder of the store (``$BONDTHESIS_HOME``; default: the per-user data folder).
    fred_api_key : str or None
        ``$FRED_API_KEY``. Optional: without it FRED is read through the keyless graph CSV.
    sec_user_agent : str or None
        ``$BONDTHESIS_SEC_USER_AGENT``, "name email". Required only for SEC calls.
    offline : bool
        ``$BONDTHESIS_OFFLINE=1``: never touch the network.
    """

    home: Path
    fred_api_key: str | None = field(default=None, repr=False)
    sec_user_agent: str | None = None
    offline: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        home_text = env.get("BONDTHESIS_HOME", "").strip()
        home = (
            Path(home_text).expanduser()
            if home_text
            else Path(platformdirs.user_data_dir("bondthesis", appauthor=False))
        )
        key = env.get("FRED_API_KEY", "").strip() or None
        agent = env.get("BONDTHESIS_SEC_USER_AGENT", "").strip() or None
        offline = env.get("BONDTHESIS_OFFLINE", "").strip().lower() in {"1", "true", "yes"}
        return cls(home=home, fred_api_key=key, sec_user_agent=agent, offline=offline)

    @property
    def store_path(self) -> Path:
        """``$BONDTHESIS_HOME/bondthesis.duckdb``."""
        return self.home / "bondthesis.duckdb"

    def require_sec_user_agent(self) -> str:
        """The SEC User-Agent, or a ConfigError that says how to set it."""
        agent = self.sec_user_agent
        if not agent or not _USER_AGENT_SHAPE.match(agent):
            raise ConfigError(
                "SEC requires a User-Agent naming you and an e-mail address: "
                'export BONDTHESIS_SEC_USER_AGENT="Your Name you@example.org"'
            )
        return agent
