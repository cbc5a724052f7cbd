"""The YAML loader of metadata and curated files: safe, libyaml when present, dates as text,
and no aliases (a few kilobytes of nested aliases expand to gigabytes: "billion laughs")."""

from __future__ import annotations

import yaml

__all__ = ["AliasRefused", "TextDatesLoader", "load"]

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is ~7x faster


class TextDatesLoader(_Base):
    """Safe YAML without implicit timestamps: dates stay strings, checked by the caller
    (``parse_date``), so "2025-02-30" is reported rather than turned into an error here."""


TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


class AliasRefused(yaml.YAMLError):
    """Raised when YAML text uses an alias (``*name``): metadata and curated files write
    every value out, so that no small file can expand into a huge one."""


def load(text):
    """Parse YAML ``text`` with :class:`TextDatesLoader`; aliases are refused.

    Raises
    ------
    yaml.YAMLError
        When the text is not YAML, or (``AliasRefused``) when it uses an alias.

    Examples
    --------
    >>> load("title: Kursk\\npublished_at: 2024-11-04")
    {'title': 'Kursk', 'published_at': '2024-11-04'}
    >>> load("a: &x [1]\\nb: *x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.common.yamlio.AliasRefused: YAML aliases are not accepted (*x at line 2, column 4); ...
    """
    for token in yaml.scan(text, Loader=TextDatesLoader):
        if isinstance(token, yaml.AliasToken):
            mark = token.start_mark
            raise AliasRefused(
                f"YAML aliases are not accepted (*{str(token.value)[:40]} at line "
                f"{mark.line + 1}, column {mark.column + 1}); write the value out instead"
            )
    return yaml.load(text, Loader=TextDatesLoader)  # noqa: S506 (a safe loader)
