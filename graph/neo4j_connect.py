"""Connecting to Neo4j: settings from options or the environment, and one-line errors.

Settings come from `--uri/--user/--database` or NEO4J_URI, NEO4J_USERNAME, NEO4J_DATABASE,
and the password from NEO4J_PASSWORD (the CLI prompts when it is unset). The password is
never part of a message, a repr or a URI we print. Every driver failure a researcher can
cause (server down, wrong password, unknown database) becomes a `Neo4jError` with one
clear line, so the CLI can print it without a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import neo4j

# The driver is imported where a connection is made, not here: it costs 0.3 s, and
# `citegraph query` on the embedded database reads only the settings (whether a URI is
# configured) from this module.

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_USER = "neo4j"


class Neo4jError(Exception):
    """A Neo4j failure described in one line, without credentials."""


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    @property
    def target(self) -> str:
        """The URI without any user info, safe to print."""
        parts = urlsplit(self.uri)
        host = parts.netloc.rsplit("@", 1)[-1]
        return f"{parts.scheme}://{host}" if parts.scheme else self.uri

    def with_password(self, password: str) -> Neo4jSettings:
        return Neo4jSettings(self.uri, self.user, password, self.database)


def configured_uri(uri: str | None, env: Mapping[str, str] = os.environ) -> str | None:
    """The Neo4j URI if one is configured (option first, then NEO4J_URI), else None."""
    return uri or env.get("NEO4J_URI") or None


def _check_uri(uri: str) -> None:
    """Only Bolt schemes, and no credentials in the URI (they would end up in messages)."""
    parts = urlsplit(uri)
    if parts.scheme not in SCHEMES:
        raise Neo4jError(
            f"unsupported Neo4j URI scheme {parts.scheme or '(none)'!r}: "
            f"use one of {', '.join(s + '://' for s in SCHEMES)}"
        )
    if "@" in parts.netloc:
        raise Neo4jError(
            "credentials do not belong in the Neo4j URI: use --user or "
            "NEO4J_USERNAME, and NEO4J_PASSWORD"
        )


def resolve_settings(
    uri: str | None = None,
    user: str | None = None,
    database: str | None = None,
    env: Mapping[str, str] = os.environ,
) -> Neo4jSettings:
    """Options win over the environment; the password only ever comes from the environment."""
    found = configured_uri(uri, env)
    if not found:
        raise Neo4jError(
            "no Neo4j configured: pass --uri or set NEO4J_URI (e.g. bolt://127.0.0.1:7687)"
        )
    _check_uri(found)
    return Neo4jSettings(
        uri=found,
        user=user or env.get("NEO4J_USERNAME") or DEFAULT_USER,
        password=env.get("NEO4J_PASSWORD") or None,
        database=database or env.get("NEO4J_DATABASE") or None,
    )


def describe(error: Exception, target: str = "Neo4j") -> str:
    """One line for a driver error; built from codes and our words, never from credentials."""
    from neo4j import exceptions as neo4j_exceptions

    if isinstance(error, neo4j_exceptions.AuthError):
        return (
            f"{target} rejected the user name or password "
            "(check NEO4J_USERNAME / --user and NEO4J_PASSWORD)"
        )
    if isinstance(error, neo4j_exceptions.ServiceUnavailable | neo4j_exceptions.SessionExpired):
        return f"cannot reach {target}: is the server running and the URI right?"
    if isinstance(error, neo4j_exceptions.Neo4jError):
        code = error.code or ""
        message = " ".join((error.message or str(error)).split())
        if code.endswith("DatabaseNotFound"):
            return f"{target}: no such database ({message})"
        return f"{target}: {code}: {message}" if code else f"{target}: {message}"
    return f"{target}: {' '.join(str(error).split())}"


@contextmanager
def neo4j_errors(target: str = "Neo4j") -> Iterator[None]:
    """Turn driver exceptions raised inside the block into `Neo4jError`."""
    from neo4j import exceptions as neo4j_exceptions

    try:
        yield
    except (neo4j_exceptions.Neo4jError, neo4j_exceptions.DriverError) as error:
        raise Neo4jError(describe(error, target)) from None


def connect(settings: Neo4jSettings) -> neo4j.Driver:
    """A driver whose server answered with these credentials (fails fast otherwise)."""
    import neo4j
    from neo4j import exceptions as neo4j_exceptions

    if settings.password is None:
        raise Neo4jError("no Neo4j password: set NEO4J_PASSWORD")
    _check_uri(settings.uri)
    target = f"Neo4j at {settings.target}"
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=(settings.user, settings.password), notifications_min_severity="OFF"
        )
    except (ValueError, neo4j_exceptions.ConfigurationError):
        raise Neo4jError(f"invalid Neo4j URI {settings.target}") from None
    try:
        with neo4j_errors(target):
            driver.verify_connectivity()
    except Neo4jError:
        driver.close()
        raise
    return driver
