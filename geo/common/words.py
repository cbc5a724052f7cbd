"""Run a word-initial regular expression only where a word could start a match.

Python's ``re`` tries every alternative of a pattern such as ``\\b(?:January|...|since)``
at every position of a text. When each match of the pattern must begin with a word from a
small set, splitting the text into words first and trying the pattern only at those words
gives the same matches several times faster (find_dates: 64 -> 9 microseconds a sentence).
"""

from __future__ import annotations

import re
from collections import defaultdict

__all__ = [
    "WordStarts",
    "grouped_alternation",
    "literal_alternation",
    "word_alternation",
    "word_matches",
]

_WORD = re.compile(r"\w+")


class WordStarts:
    """A test of the first word of a possible match: a digit (when ``digits``) or one of
    ``words``, compared in lower case."""

    __slots__ = ("digits", "words")

    def __init__(self, words=(), *, digits=False):
        self.words = frozenset(w.lower() for w in words)
        self.digits = digits

    def __call__(self, word):
        return (self.digits and word[0].isdigit()) or word.lower() in self.words


def word_matches(pattern, text, starts):
    """Yield the matches ``pattern.finditer(text)`` yields, trying only words that pass
    ``starts``.

    The result is the same when every match of ``pattern`` begins at the start of a word
    (``\\w+``) that passes ``starts``: the caller keeps that true (the tests compare both on
    real text). Matches are non-overlapping, left to right, like ``finditer``.
    """
    end = 0
    for w in _WORD.finditer(text):
        pos = w.start()
        if pos < end or not starts(w.group()):
            continue
        m = pattern.match(text, pos)
        if m is not None:
            end = m.end()
            yield m


_SPECIAL = set("\\()[]{}.^$*+?|")


def _scan(body):
    """Yield ``(index, char, depth)`` for each character of a regular expression that is not
    escaped and not inside a character class; ``depth`` counts the groups open before it."""
    depth, i, in_class = 0, 0, False
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        else:
            if c == ")":
                depth -= 1
                if depth < 0:
                    raise ValueError(f"unbalanced parenthesis in {body!r}")
            yield i, c, depth
            if c == "(":
                depth += 1
        i += 1


def _top_level_alternatives(body):
    """Split a regular expression on its top-level ``|`` (not inside groups or classes)."""
    cuts = [i for i, c, depth in _scan(body) if c == "|" and depth == 0]
    return [body[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(body)], strict=True)]


def _expanded(alternatives):
    """Yield the alternatives with a leading group distributed: ``(?:a|b)c`` gives ``ac``
    then ``bc`` (the same matches, tried in the same order)."""
    for alternative in alternatives:
        if not alternative.startswith("(?:"):
            yield alternative
            continue
        end = next(i for i, c, depth in _scan(alternative) if c == ")" and depth == 0)
        inner, rest = alternative[3:end], alternative[end + 1 :]
        if rest[:1] in ("?", "*", "+", "{"):
            yield alternative  # an optional group: refused below
            continue
        yield from _expanded(part + rest for part in _top_level_alternatives(inner))


def word_alternation(body, flags=0, *, tail=r"\b"):
    """Compile ``\\b(?:body)`` + ``tail`` so that it finds the same matches faster.

    ``body`` is an alternation whose every alternative begins with a literal letter (not
    made optional) or with a group of such alternatives. Python's ``re`` tries the
    alternatives one by one at every word start; grouped by their first letter, behind a
    look-ahead on those letters, most positions fail at once (the trigger and irrealis
    patterns: 2-3x faster). Alternatives with the same first letter keep their order, and
    two alternatives with different first letters never match at one position, so every
    match is the one the plain pattern finds.

    Examples
    --------
    >>> word_alternation("troops|soldiers?|tanks", re.I).pattern
    '\\\\b(?=[st])(?:s(?:oldiers?)|t(?:roops|anks))\\\\b'
    """
    return grouped_alternation(body, flags, before=r"\b", after=tail)


def grouped_alternation(body, flags=0, *, before="", after=""):
    """Compile ``before`` + ``(?:body)`` + ``after`` with the alternatives of ``body`` grouped
    by first letter as ``word_alternation`` does (which is this with ``\\b`` around)."""
    return re.compile(f"{before}{_grouped(body, flags)}{after}", flags)


def literal_alternation(strings):
    """Compile a search for any of ``strings`` (literal, case-sensitive, anywhere), grouped
    by first character as ``word_alternation`` does: the same matches, about 2x faster.

    Examples
    --------
    >>> literal_alternation(["kill", "dead", "death"]).search("two were killed").group()
    'kill'
    """
    # No look-ahead here: without word boundaries, re's own first-character scan is faster.
    return re.compile(_grouped("|".join(map(re.escape, strings)), 0, lookahead=False))


def _grouped(body, flags, *, lookahead=True):
    fold = (lambda c: c.lower()) if flags & re.IGNORECASE else (lambda c: c)
    groups = defaultdict(list)
    for alternative in _expanded(_top_level_alternatives(body)):
        head, rest = alternative[:1], alternative[1:]
        if not head or head in _SPECIAL or rest[:1] in ("?", "*", "+", "{"):
            raise ValueError(f"alternative {alternative!r} does not begin with a literal letter")
        groups[fold(head)].append(rest)
    firsts = "".join(sorted(groups))
    grouped = "|".join(f"{re.escape(k)}(?:{'|'.join(v)})" for k, v in sorted(groups.items()))
    return f"(?=[{re.escape(firsts)}])(?:{grouped})" if lookahead else f"(?:{grouped})"
