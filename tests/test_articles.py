import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from geo.articles.reader import Article, boilerplate_spans, iter_article_paths, read_article
from geo.exc import ArticleError

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "articles"
FIXTURES = Path(__file__).resolve().parent / "data" / "articles"


def test_demo_articles_are_stored_byte_identical_with_their_metadata():
    paths = list(iter_article_paths([DEMO]))
    assert len(paths) == 5 and all(p.suffix == ".txt" for p in paths)
    for path in paths:
        article = read_article(path)
        assert article.text == path.read_bytes().decode("utf-8")
        assert article.language == "en"
        assert article.url is None  # never invented
    first = read_article(DEMO / "000_4b44cf9ec775b733.txt")
    assert first.published_at == "2025-02-01" and first.published_precision == "month"
    assert "last month" in first.metadata_inferred["published_at"]["evidence"]


def test_article_id_is_a_hash_of_the_content(tmp_path):
    src = DEMO / "001_d4e9eeadc451c303.txt"
    copy = tmp_path / "renamed.txt"
    shutil.copy(src, copy)
    assert read_article(copy).article_id == read_article(src).article_id
    copy.write_text(src.read_text("utf-8") + "\nOne more line.", "utf-8")
    assert read_article(copy).article_id != read_article(src).article_id


def test_page_boilerplate_is_masked_but_offsets_still_index_the_stored_text():
    article = read_article(DEMO / "003_b956ea791a8ff199.txt")
    masked = article.extraction_text
    assert len(masked) == len(article.text)
    for word in ("top of page", "bottom of page", "Writer:", "Comments"):
        assert word in article.text and word not in masked
    assert article.author == "Democracy in Focus Team"
    refs = read_article(DEMO / "004_862f46d614540fa4.txt")
    assert "[4]" in refs.text and "[4]" not in refs.extraction_text
    for start, end in refs.masked:
        assert refs.text[start:end].strip().startswith("[")


def test_boilerplate_lines_only_match_whole_lines():
    text = "Comments were made by officials.\nComments\n"
    assert [text[a:b] for a, b in boilerplate_spans(text)] == ["Comments"]


def test_html_article_keeps_text_and_metadata_and_drops_scripts():
    article = read_article(FIXTURES / "sudan_el_fasher.html")
    assert article.publisher == "Example Desk"
    assert article.published_at == "2024-06-15"
    assert article.author == "A. Writer"
    assert "El Fasher in North Darfur on June 10" in article.text
    assert "Aid workers & doctors" in article.text
    for junk in ("tracking", "<p>", "color: red", "Home | World"):
        assert junk not in article.text


def test_markdown_front_matter_and_json_articles():
    md = read_article(FIXTURES / "avdiivka.md")
    assert md.title == "Avdiivka falls after months of fighting"
    assert md.publisher == "Example Wire" and md.published_precision == "day"
    assert not md.text.startswith("---")
    assert "#" not in md.extraction_text.split("\n")[0]
    js = read_article(FIXTURES / "kobani.json")
    assert js.publisher == "Example Monitor" and js.published_precision == "month"
    assert js.text.startswith("Turkish drones")


def test_sidecar_overrides_file_metadata(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"text": "Troops moved.", "publisher": "Inner"}), "utf-8")
    (tmp_path / "a.yaml").write_text("publisher: Outer\n", "utf-8")
    assert read_article(path).publisher == "Outer"


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("name", "data", "sidecar", "reason"),
    [
        pytest.param("empty.txt", "", None, "empty", id="empty"),
        pytest.param("blank.txt", "  \n\t\n", None, "empty", id="whitespace"),
        pytest.param("bin.txt", b"\x00\x01\x02binary", None, "binary", id="binary"),
        pytest.param("latin1.txt", "caf\xe9".encode("latin-1"), None, "not UTF-8", id="not-utf8"),
        pytest.param(
            "a.txt", "Troops moved.", "title: [unclosed", "not valid YAML", id="malformed-yaml"
        ),
        pytest.param(
            "a.txt",
            "Troops moved.",
            "published_at: February 30, 2025",
            "real calendar date",
            id="impossible-date",
        ),
        pytest.param(
            "a.txt", "Troops moved.", "published_at: 2999-01-01", "after today", id="future-date"
        ),
        pytest.param(
            "a.txt", "Troops moved.", "- a list", "must be a mapping", id="sidecar-not-mapping"
        ),
        pytest.param("a.json", '{"title": "no text"}', None, "string 'text'", id="json-no-text"),
        pytest.param("a.json", "{broken", None, "not valid JSON", id="json-broken"),
        pytest.param("a.pdf", "Troops moved.", None, "unsupported file type", id="suffix"),
        pytest.param(
            "only.txt", "top of page\nComments\n", None, "boilerplate", id="only-boilerplate"
        ),
    ],
)
def test_bad_articles_are_refused_with_a_reason_naming_the_file(
    tmp_path, name, data, sidecar, reason
):
    path = _write(tmp_path, name, data)
    if sidecar is not None:
        _write(tmp_path, Path(name).stem + ".yaml", sidecar)
    with pytest.raises(ArticleError, match=reason) as err:
        read_article(path, today=date(2026, 1, 1))
    assert str(path) in str(err.value) or str(path.with_suffix(".yaml")) in str(err.value)


def test_large_files_are_refused_before_reading(tmp_path):
    path = _write(tmp_path, "big.txt", "x" * 2000)
    with pytest.raises(ArticleError, match="at most 1,000 bytes"):
        read_article(path, size_limit=1000)


def test_unreadable_file(tmp_path):
    with pytest.raises(ArticleError, match="cannot read"):
        read_article(tmp_path / "missing.txt")


def test_folders_yield_articles_not_their_sidecars():
    names = sorted(p.name for p in iter_article_paths([FIXTURES]))
    assert "capture_followup.yaml" not in names
    assert {"kobani.json", "avdiivka.md", "sudan_el_fasher.html"} <= set(names)


def test_article_is_a_dict_with_attribute_access():
    article = read_article(FIXTURES / "capture_followup.txt")
    assert isinstance(article, Article) and isinstance(article, dict)
    assert article["publisher"] == article.publisher == "Example Follow-up Desk"
    with pytest.raises(AttributeError):
        article.no_such_field  # noqa: B018
