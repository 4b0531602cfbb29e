"""Building URLs for every route of the app, whatever blueprint added it."""

from __future__ import annotations

import uuid

from flask import Flask
from werkzeug.routing import Rule

DUMMY_BY_CONVERTER: dict[str, object] = {
    "IntegerConverter": 999_999,
    "FloatConverter": 1.5,
    "UUIDConverter": uuid.UUID(int=1),
    "PathConverter": "no/such/path",
    "UnicodeConverter": "no-such-thing",
}


def methods(rule: Rule) -> list[str]:
    """The methods a route answers, without the automatic HEAD and OPTIONS."""
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def dummy_url(app: Flask, rule: Rule) -> str:
    """The route's URL with a made-up value for each argument."""
    values: dict[str, object] = {}
    for name, converter in rule._converters.items():
        kind = next(
            (c.__name__ for c in type(converter).__mro__ if c.__name__ in DUMMY_BY_CONVERTER),
            type(converter).__name__,
        )
        if kind == "AnyConverter":
            values[name] = sorted(converter.items)[0]  # type: ignore[attr-defined]
        else:
            values[name] = DUMMY_BY_CONVERTER.get(kind, "no-such-thing")
    return app.url_map.bind("localhost").build(rule.endpoint, values)
