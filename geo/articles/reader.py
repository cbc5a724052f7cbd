"""Read article files (.txt, .md, .html, .json) with their metadata into Article records."""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import yaml

from geo.common import yamlio as _yaml
from geo.common.excerpt import excerpt
from geo.exc import ArticleError, ValidationError
from geo.extract.temporal import Reference, parse_published

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_ARTICLE_BYTES",
    "METADATA_FIELDS",
    "Article",
    "boilerplate_spans",
    "iter_article_paths",
    "read_article",
]

#: Files larger than this are refused before they are read.
MAX_ARTICLE_BYTES = 50 * 1024 * 1024
#: Article file suffixes ingestion reads.
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json")
#: Metadata fields an article carries (from a sidecar, front matter, JSON keys or HTML meta).
METADATA_FIELDS = (
    "title",
    "publisher",
    "url",
    "author",
    "published_at",
    "published_precision",
    "language",
)
_SIDECARS = (".yaml", ".yml", ".json")

# Page furniture a site builder leaves in copied text; a line that is only this is masked.
_BOILER_LINES = re.compile(
    r"^[ \t]*(?:top of page|bottom of page|comments?|skip to (?:main )?content|share(?: this)?"
    r"|share on \w+|log ?in|sign ?up|subscribe|advertisement|related (?:articles|posts)"
    r"|read more|recent posts|see all|print|email|menu|cookies? (?:policy|settings))[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_WRITER_LINE = re.compile(r"^[ \t]*(?:writer|written by|by|author)[ \t]*:[ \t]*(?P<who>.+)$",
                          re.IGNORECASE | re.MULTILINE)  # fmt: skip
# Reference markers: "[4]", "[2, 3]", "[12-14]"; markdown images and link targets.
_REF_MARKER = re.compile(r"\s?\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]")
_MD_MARKUP = re.compile(r"^[ \t]*#{1,6}[ \t]+|(?<=\])\([^)\s]{1,2000}\)|!\[|^[ \t]*[-*+>][ \t]+",
                        re.MULTILINE)  # fmt: skip
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)


class Article(dict):
    """An article record: metadata, the stored text, and the spans kept out of extraction.

    Keys: ``article_id`` (a hash of the text), ``title``, ``publisher``, ``url``, ``author``,
    ``published_at`` (ISO date or None), ``published_precision``, ``language``, ``text``
    (the text as stored: every offset indexes it), ``masked`` (``[start, end]`` spans of
    page boilerplate and reference markers), ``metadata_inferred`` (what was inferred from
    the text, with evidence), ``path`` (the file read), ``format``.
    """

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def extraction_text(self):
        """The text with masked spans blanked (same length, so offsets still match)."""
        return mask_spans(self["text"], self.get("masked") or ())

    @property
    def reference(self):
        """The ``Reference`` (``geo.extract.temporal``) relative dates resolve against, or None."""
        inferred = (self.get("metadata_inferred") or {}).get("published_at") or {}
        latest = inferred.get("latest")
        if self.get("published_at"):
            return Reference.of(self["published_at"], self.get("published_precision") or "day")
        earliest = inferred.get("earliest")
        if earliest or latest:
            start = date.fromisoformat(str(earliest or latest))
            end = date.fromisoformat(str(latest or earliest))
            return Reference(start, end)
        return None


def mask_spans(text, spans):
    """Return ``text`` with each ``[start, end]`` span replaced by spaces (newlines kept)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def boilerplate_spans(text):
    """Return the ``[start, end]`` spans of page boilerplate and reference markers in ``text``.

    Examples
    --------
    >>> text = "top of page\\nTroops moved. [4]\\nComments\\n"
    >>> [text[a:b] for a, b in boilerplate_spans(text)]
    ['top of page', ' [4]', 'Comments']
    """
    spans = [[m.start(), m.end()] for m in _BOILER_LINES.finditer(text)]
    spans += [[m.start(), m.end()] for m in _WRITER_LINE.finditer(text)]
    spans += [[m.start(), m.end()] for m in _REF_MARKER.finditer(text)]
    return sorted(spans)


class _TextExtractor(HTMLParser):
    """Collect an HTML page's readable text, title and meta tags (scripts and styles dropped)."""

    _SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
    _BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
              "table", "section", "article", "header", "footer", "blockquote", "pre", "hr",
              "figcaption", "nav", "aside", "main", "dd", "dt"}  # fmt: skip
    _CHROME = {"nav", "footer", "aside", "form", "button"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.meta, self.title = [], {}, None
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
            if key and attrs.get("content"):
                self.meta.setdefault(key.lower(), attrs["content"].strip())
        elif tag == "link" and attrs.get("rel", "").lower() == "canonical":
            self.meta.setdefault("canonical", attrs.get("href", "").strip())
        elif tag == "html" and attrs.get("lang"):
            self.meta.setdefault("lang", attrs["lang"])
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIP or tag in self._CHROME:
            self._skip += 1
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif (tag in self._SKIP or tag in self._CHROME) and self._skip:
            self._skip -= 1
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data
        elif not self._skip:
            self.parts.append(data)

    def text(self):
        raw = "".join(self.parts)
        lines = [" ".join(line.split()) for line in raw.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _html(raw):
    parser = _TextExtractor()
    parser.feed(raw)
    parser.close()
    meta = parser.meta
    found = {
        "title": meta.get("og:title") or (parser.title or "").strip() or None,
        "publisher": meta.get("og:site_name") or meta.get("publisher"),
        "url": meta.get("og:url") or meta.get("canonical"),
        "author": meta.get("author") or meta.get("article:author"),
        "published_at": meta.get("article:published_time")
        or meta.get("datepublished")
        or meta.get("date"),
        "language": meta.get("lang") or meta.get("og:locale"),
    }
    return parser.text(), {k: v for k, v in found.items() if v}


def _read_text(path, size_limit):
    try:
        size = os.stat(path).st_size
    except OSError as err:
        raise ArticleError(f"{path}: cannot read the file ({err.strerror or err}).") from err
    if size > size_limit:
        raise ArticleError(
            f"{path}: the file is {size:,} bytes; articles must be at most {size_limit:,} bytes."
        )
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ArticleError(f"{path}: cannot read the file ({err.strerror or err}).") from err
    if b"\x00" in data[:65536]:
        raise ArticleError(f"{path}: the file is binary (it holds NUL bytes); expected text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(
            f"{path}: the file is not UTF-8 text (invalid byte at position {err.start})."
        ) from err
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _load_mapping(text, source):
    try:
        data = _yaml.load(text) if text.strip() else {}
    except yaml.YAMLError as err:
        raise ArticleError(f"{source}: the metadata is not valid YAML/JSON ({err}).") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ArticleError(
            f"{source}: the metadata must be a mapping of fields; got {type(data).__name__}."
        )
    return data


def _sidecar(path):
    for suffix in _SIDECARS:
        candidate = path.with_suffix(suffix)
        if candidate != path and candidate.is_file():
            return candidate
    return None


def _clean_meta(meta, source, today):
    """Validate metadata fields; return (fields, inferred)."""
    out = {}
    for key in METADATA_FIELDS:
        value = meta.get(key)
        if isinstance(value, date):
            value = value.isoformat()
        if value is not None and not isinstance(value, str):
            raise ArticleError(f"{source}: {key} must be a string; got {excerpt(value)}.")
        out[key] = value.strip() if isinstance(value, str) and value.strip() else None
    try:
        day, precision = parse_published(out["published_at"], out["published_precision"],
                                         today=today)  # fmt: skip
    except ValidationError as err:
        raise ArticleError(f"{source}: {err}") from err
    out["published_at"] = day.isoformat() if day else None
    out["published_precision"] = precision
    inferred = meta.get("inferred") or meta.get("metadata_inferred") or {}
    if not isinstance(inferred, dict):
        raise ArticleError(f"{source}: inferred must be a mapping; got {excerpt(inferred)}.")
    inferred = json.loads(json.dumps(inferred, default=str))
    window = inferred.get("published_at") or {}
    for bound in ("earliest", "latest"):
        if isinstance(window, dict) and window.get(bound):
            try:
                parse_published(str(window[bound]), today=today,
                                field_name=f"inferred.published_at.{bound}")  # fmt: skip
            except ValidationError as err:
                raise ArticleError(f"{source}: {err}") from err
    return out, inferred


def read_article(path, *, today=None, size_limit=MAX_ARTICLE_BYTES):
    """Read one article file and its metadata.

    Parameters
    ----------
    path : path-like
        A .txt, .md, .html or .json file. Metadata comes from a sidecar with the same stem
        (.yaml, .yml or .json), YAML front matter (.md, .txt), the object's keys (.json) or
        meta tags (.html); a sidecar wins over what the file says.
    today : date, optional
        Publication dates after it are refused (default: today).
    size_limit : int, default MAX_ARTICLE_BYTES
        Larger files are refused before they are read.

    Returns
    -------
    Article

    Raises
    ------
    ArticleError
        Naming the file and the reason: unreadable, empty, binary, too large, not UTF-8,
        malformed metadata, an impossible or future publication date.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise ArticleError(
            f"{path}: unsupported file type {suffix!r}; expected one of "
            f"{', '.join(ARTICLE_SUFFIXES)}."
        )
    raw = _read_text(path, size_limit)
    meta = {}
    if suffix == ".json":
        try:
            data = json.loads(raw)
        except ValueError as err:
            raise ArticleError(f"{path}: the file is not valid JSON ({err}).") from err
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ArticleError(
                f"{path}: a JSON article must be an object with a string 'text'; got "
                f"{type(data).__name__}."
            )
        text = data["text"].replace("\r\n", "\n")
        meta = {k: v for k, v in data.items() if k != "text"}
    elif suffix in (".html", ".htm"):
        text, meta = _html(raw)
    else:
        text = raw
        front = _FRONT_MATTER.match(raw)
        if front:
            meta = _load_mapping(front.group(1), f"{path} (front matter)")
            text = raw[front.end() :]
    sidecar = _sidecar(path) if suffix != ".json" or path.with_suffix(".yaml").is_file() else None
    if sidecar is not None:
        side = _load_mapping(_read_text(sidecar, 1024 * 1024), sidecar)
        meta = {**meta, **side}
    if not text.strip():
        raise ArticleError(f"{path}: the article is empty; expected some text.")
    fields, inferred = _clean_meta(meta, sidecar or path, today)
    masked = boilerplate_spans(text)
    if suffix in (".md", ".markdown"):
        masked = sorted(masked + [[m.start(), m.end()] for m in _MD_MARKUP.finditer(text)])
    if not mask_spans(text, masked).strip():
        raise ArticleError(f"{path}: the article holds only page boilerplate; expected text.")
    if not fields["author"]:
        writer = _WRITER_LINE.search(text)
        if writer:
            who = writer.group("who").strip()
            half = len(who) // 2
            if len(who) % 2 == 0 and who[:half] == who[half:]:
                who = who[:half]  # "TeamTeam": the name repeated by a page builder
            inferred.setdefault("author", {"value": who, "evidence": writer.group(0).strip()})
    article_id = "art-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Article(
        article_id=article_id,
        **fields,
        text=text,
        masked=masked,
        metadata_inferred=inferred,
        path=str(path),
        format=suffix.lstrip("."),
    )


def iter_article_paths(paths):
    """Yield article files from files and folders (folders searched recursively, sorted).

    Sidecar metadata files beside an article are not yielded as articles; a folder's .json
    files are articles only when no article with the same stem exists.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file())
            stems = {f.with_suffix("") for f in files if f.suffix.lower() in ARTICLE_SUFFIXES
                     and f.suffix.lower() != ".json"}  # fmt: skip
            for f in files:
                suffix = f.suffix.lower()
                if suffix not in ARTICLE_SUFFIXES or f.name.startswith("."):
                    continue
                if suffix == ".json" and f.with_suffix("") in stems:
                    continue  # the sidecar of an article
                yield f
        else:
            yield p
