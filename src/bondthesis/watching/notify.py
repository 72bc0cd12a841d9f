"""Send a message to one notification URL through apprise, and say how it went.

One URL per service, in apprise's own syntax (https://github.com/caronc/apprise/wiki):

* ``ntfy://ntfy.sh/my-topic`` (push to a phone through ntfy),
* ``mailto://user:app-password@gmail.com?to=me@example.org`` (e-mail over SMTP),
* ``json://127.0.0.1:8080/hook`` or ``jsons://example.org/hook`` (a JSON webhook: apprise posts
  ``{"title": ..., "message": ..., "type": "info"}``),
* ``dbus://`` or ``gnome://`` (a desktop notification; needs the desktop's Python bindings).

URLs carry passwords and tokens, so a :class:`NotifyTarget` shows and stores only its
``scheme://host`` and a SHA-256 of the URL; the URL itself stays in memory for the run. Errors
are apprise's own words (captured from its log) with secrets redacted and the URL removed.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from urllib.parse import urlsplit

from bondthesis.errors import ConfigError, redact
from bondthesis.serialize import Serializable

__all__ = ["NotifyTarget", "parse_targets", "send"]


@dataclass(frozen=True)
class NotifyTarget(Serializable):
    """One notification URL: ``label`` (``scheme://host``) and ``digest`` (SHA-256) are shown."""

    label: str
    digest: str
    url: str = field(repr=False, metadata={"json": False})


def _apprise() -> ModuleType:
    """apprise, imported on first use: it is slow to import and only a run that notifies needs
    it. Call it, and apprise, inside :func:`_quiet`."""
    import apprise

    return apprise


@contextmanager
def _quiet() -> Iterator[None]:
    """apprise loads its plugins lazily, one of them through the deprecated ``imghdr`` module:
    a warning about apprise's internals is not the user's concern."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _label(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}"


def parse_targets(urls: Iterable[str]) -> tuple[NotifyTarget, ...]:
    """Check each URL with apprise; a ConfigError naming the service (never the secret) if bad."""
    with _quiet():
        apprise = _apprise()
    targets: dict[str, NotifyTarget] = {}
    for url in urls:
        text = url.strip()
        label = _label(text)
        if "://" not in text:
            raise ConfigError(
                f"--notify {text[:12]!r}... is not a URL; write e.g. ntfy://ntfy.sh/TOPIC, "
                "mailto://USER:PASSWORD@HOST, json://HOST:PORT/PATH or dbus://"
            )
        with _quiet():
            accepted = apprise.Apprise().add(text)
        if not accepted:
            scheme = label.split("://")[0]
            desktop = scheme in {"dbus", "kde", "qt", "glib", "gnome", "windows", "macosx"}
            why = (
                "desktop notifications need the desktop's bindings (dbus/gi on Linux) installed"
                if desktop
                else "apprise does not accept it; check the service's URL format at "
                "https://github.com/caronc/apprise/wiki"
            )
            raise ConfigError(f"--notify {label}/...: {why}")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        targets.setdefault(digest, NotifyTarget(label=label, digest=digest, url=text))
    return tuple(targets.values())


class _Capture(logging.Handler):
    """Collects apprise's warnings during one send: they say why a delivery failed."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def send(target: NotifyTarget, title: str, body: str) -> tuple[bool, str | None]:
    """Deliver one message: ``(True, None)``, or ``(False, why)`` with no URL in ``why``."""
    capture = _Capture()
    logger = logging.getLogger("apprise")
    logger.addHandler(capture)
    try:
        with _quiet():
            notifier = _apprise().Apprise()
            notifier.add(target.url)
            ok = bool(notifier.notify(title=title, body=body))
    except Exception as exc:  # a plugin that raises instead of reporting: still just a failure
        ok = False
        capture.messages.append(f"{type(exc).__name__}: {exc}")
    finally:
        logger.removeHandler(capture)
    if ok:
        return True, None
    why = "; ".join(dict.fromkeys(capture.messages)) or "the service did not accept the message"
    return False, redact(why.replace(target.url, target.label))
