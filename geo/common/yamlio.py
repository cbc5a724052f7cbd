"""The YAML loader of metadata and curated files: safe, libyaml when present, dates as text."""

from __future__ import annotations

import yaml

__all__ = ["TextDatesLoader", "load"]

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is ~7x faster


class TextDatesLoader(_Base):
    """Safe YAML without implicit timestamps: dates stay strings, checked by the caller
    (``parse_date``), so "2025-02-30" is reported rather than turned into an error here."""


TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def load(text):
    """Parse YAML ``text`` with :class:`TextDatesLoader`; raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=TextDatesLoader)  # noqa: S506 (a safe loader)
