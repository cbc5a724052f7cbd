"""Stage 0: article files (.txt, .md, .html, .json) with their metadata, read into ``Article``.

Owns: reading, metadata (sidecars, front matter, HTML meta), boilerplate masking and the
refusal of bad input with reasons. May import ``geo.common``, ``geo.exc`` and the date
parsing of ``geo.extract.temporal``.
"""

from geo.articles.reader import Article, iter_article_paths, read_article

__all__ = ["Article", "iter_article_paths", "read_article"]
