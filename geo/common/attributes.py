"""The model's attribute rules (tag → POS and morphology, exceptions) without spaCy's Matcher.

``en_core_web_sm`` maps each fine-grained tag to a coarse POS and morphological features,
and corrects some words ("not" a particle, "'s" a form of "be"), with an ``attribute_ruler``
of 179 token patterns run by spaCy's general ``Matcher``: 14 % of the parse of an article for
what is, per token, a lookup by tag and lower-case form. :class:`AttributeRules` reads the
same patterns and attributes from the loaded ruler and applies them with dictionary lookups
and exactly the ruler's semantics: every pattern is matched on the document as the tagger
and parser left it, and the matches are applied in the order the patterns were added, a
later pattern overriding an earlier one's attribute. A pattern it cannot read (an attribute
or operator the model does not use today) makes :func:`compile_rules` return ``None``, and
the pipeline keeps spaCy's ruler.
"""

from __future__ import annotations

import re

__all__ = ["AttributeRules", "compile_rules"]

# The token attributes patterns may test, as columns of ``Doc.to_array``.
_COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")
# Columns to file a rule under, the most selective first.
_FILING = (1, 2, 0, 3)


class _Unsupported(Exception):
    """A pattern uses something :class:`AttributeRules` does not implement."""


def _test(column, spec, strings):
    """Return ``(column index, kind, value)`` for one attribute test of a token pattern."""
    if column not in _COLUMNS:
        raise _Unsupported(column)
    col = _COLUMNS.index(column)
    if column == "IS_SPACE":
        if not isinstance(spec, bool):
            raise _Unsupported(spec)
        return col, "eq", int(spec)
    if isinstance(spec, str):
        return col, "eq", strings[spec]
    if isinstance(spec, dict) and len(spec) == 1:
        ((op, value),) = spec.items()
        if op in ("IN", "NOT_IN") and all(isinstance(v, str) for v in value):
            return col, op.lower(), frozenset(strings[v] for v in value)
        if op == "REGEX" and isinstance(value, str) and column == "LOWER":
            return col, "regex", re.compile(value)
    raise _Unsupported(spec)


class AttributeRules:
    """Apply an ``AttributeRuler``'s patterns to a ``Doc``, with the ruler's results.

    Parameters
    ----------
    ruler : spacy.pipeline.AttributeRuler
        The loaded model's ruler; its patterns must be ones :func:`compile_rules` accepts.
    """

    def __init__(self, ruler):
        from spacy.tokens._retokenize import set_token_attrs

        self.ruler = ruler
        self._set = set_token_attrs
        strings = ruler.vocab.strings
        self._strings = strings
        self._attrs = list(ruler.attrs)
        # Each rule is filed under the values of one column (lower-case form, dependency,
        # tag, is-space: the first its first token tests for equality or membership), so a
        # token meets only the rules it can satisfy; the test used for filing is not
        # repeated. The others (regular expressions) are tried once per lower-case form.
        self._index = [{} for _ in _COLUMNS]
        self._other = []
        for attr_id, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                tests = [
                    tuple(_test(column, spec, strings) for column, spec in token.items())
                    for token in pattern
                ]
                if not tests or any(not t for t in tests):
                    raise _Unsupported(pattern)
                index = entry.get("index", 0)
                index = index + len(tests) if index < 0 else index
                if not 0 <= index < len(tests):
                    raise _Unsupported(entry)
                key = min(
                    (t for t in tests[0] if t[1] in ("eq", "in")), default=None,
                    key=lambda t: _FILING.index(t[0]),
                )  # fmt: skip
                if key is None:
                    self._other.append((attr_id, index, tests))
                    continue
                rest = [tuple(t for t in tests[0] if t is not key), *tests[1:]]
                rule = (attr_id, index, rest if any(rest) else None)
                col, kind, value = key
                for v in (value,) if kind == "eq" else value:
                    self._index[col].setdefault(v, []).append(rule)
        self._regex_cache = {}
        self._unfiled_cache = {}

    def _unfiled(self, lower):
        """Return the unfiled rules whose first token's regular expressions accept the
        lower-case form ``lower`` (a hash), computed once per form."""
        rules = self._unfiled_cache.get(lower)
        if rules is None:
            text = self._strings[lower]
            rules = tuple(
                rule for rule in self._other
                if all(v.search(text) for _, kind, v in rule[2][0] if kind == "regex")
            )  # fmt: skip
            self._unfiled_cache[lower] = rules
        return rules

    def _passes(self, tests, rows, start):
        for k, token_tests in enumerate(tests):
            if start + k >= len(rows):
                return False
            row = rows[start + k]
            for col, kind, value in token_tests:
                got = row[col]
                if kind == "eq":
                    if got != value:
                        return False
                elif kind == "in":
                    if got not in value:
                        return False
                elif kind == "not_in":
                    if got in value:
                        return False
                else:  # regex, on the lower-case form
                    key = (value.pattern, got)
                    hit = self._regex_cache.get(key)
                    if hit is None:
                        hit = self._regex_cache[key] = bool(value.search(self._strings[got]))
                    if not hit:
                        return False
        return True

    def __call__(self, doc):
        """Set the attributes of ``doc``'s tokens as the ruler would; return ``doc``."""
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        if not len(doc):
            return doc
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        index, passes = self._index, self._passes
        found = {}  # token index -> attr ids of the patterns that set it
        for i, row in enumerate(rows):
            for col in range(len(_COLUMNS)):
                for attr_id, at, tests in index[col].get(row[col], ()):
                    if tests is None or passes(tests, rows, i):
                        found.setdefault(i + at, set()).add(attr_id)
            for attr_id, at, tests in self._unfiled(row[1]):
                if passes(tests, rows, i):
                    found.setdefault(i + at, set()).add(attr_id)
        attrs = self._attrs
        for i, ids in found.items():
            if len(ids) == 1:
                (only,) = ids
                merged = attrs[only]
            else:
                merged = {}
                for attr_id in sorted(ids):
                    merged.update(attrs[attr_id])
            self._set(doc[i], merged)
        return doc


def compile_rules(ruler):
    """Return :class:`AttributeRules` for ``ruler``, or None when a pattern is not readable."""
    try:
        return AttributeRules(ruler)
    except _Unsupported:
        return None
