"""Every route Parley serves, read from the code: the URL resolver and the API's OpenAPI schema.

Paths are normalised templates: a leading slash, each parameter as ``{name}`` whatever its
converter (``p/<slug:slug>/`` -> ``/p/{slug}/``). The resolver knows paths but not methods;
the OpenAPI schema knows the API's methods; for the other views the matrix declares them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from parley.api.api import api

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

_ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAMETER = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _template(pattern: RoutePattern | RegexPattern) -> str:
    """Return the template of one pattern, parameters as {name}."""
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = _REGEX_PARAMETER.sub(r"{\1}", text.removeprefix("^").removesuffix("$"))
        text = text.removesuffix(r"\Z")
        assert not re.search(r"[\\^$*+?()\[\]|]", text), f"cannot normalise the regex {pattern}"
        return text
    return _ROUTE_PARAMETER.sub(r"{\1}", text)


def _walk(resolver: URLResolver, prefix: str) -> Iterator[str]:
    for entry in resolver.url_patterns:
        here = prefix + _template(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, here)
        elif isinstance(entry, URLPattern):
            yield here


def resolver_paths() -> frozenset[str]:
    """Return the path template of every URL pattern, walking included resolvers."""
    return frozenset("/" + path for path in _walk(get_resolver(), ""))


def api_operations() -> dict[str, frozenset[str]]:
    """Return each API path template with the methods its OpenAPI schema documents."""
    paths = api.get_openapi_schema()["paths"]
    return {path: frozenset(method.upper() for method in ops) for path, ops in paths.items()}


def api_inventory() -> frozenset[tuple[str, str]]:
    """Return every (method, path) the API documents."""
    return frozenset((m, path) for path, methods in api_operations().items() for m in methods)
