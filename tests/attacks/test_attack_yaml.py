"""Issue 13 item 2: YAML aliases ("billion laughs") in article metadata and curated files.

A few kilobytes of nested aliases expanded into a 72 MB metadata row; now any alias is
refused, wherever YAML is read (uploads, sidecar files, curated files), with a short message.
"""

import json

import pytest
import yaml

from geo.common import yamlio

ARTICLE = (
    "KYIV, Ukraine — Ukrainian forces said on January 9, 2025 that they captured two North "
    "Korean soldiers in Russia's Kursk region, the SBU security service reported.\n"
)


def laughs(levels=6, width=10):
    """Return YAML whose aliases expand ``width ** levels`` times (a 'billion laughs')."""
    lines = ['a0: &a0 "lol lol lol lol lol lol lol lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * width)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append(f"title: *a{levels}")
    return "\n".join(lines) + "\n"


def test_the_loader_refuses_aliases_before_building_anything():
    with pytest.raises(yamlio.AliasRefused, match=r"aliases are not accepted \(\*a0 at line 2"):
        yamlio.load(laughs(levels=9))
    with pytest.raises(yaml.YAMLError):
        yamlio.load("a: &x 1\nb: *x\n")
    # anchors alone build nothing twice, and dates stay text
    assert yamlio.load("a: &x 1\nday: 2024-11-04\n") == {"a": 1, "day": "2024-11-04"}


def test_an_upload_with_nested_aliases_is_refused_quickly_and_stores_nothing(client, store, auth):
    body = f"---\n{laughs()}---\n{ARTICLE}"
    resp = client.post(
        "/api/articles?filename=laughs.md",
        data=body.encode(),
        headers={**auth, "Content-Type": "text/plain"},
    )
    assert resp.status_code == 422, resp.get_data(as_text=True)[:300]
    error = resp.get_json()["error"]
    assert "aliases are not accepted" in error and len(error) < 400
    assert store.articles() == [] and store.count() == 0


def test_a_sidecar_with_aliases_fails_its_article_only(runner, store, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "bad.txt").write_text(ARTICLE, "utf-8")
    (folder / "bad.yaml").write_text(laughs(), "utf-8")
    (folder / "good.txt").write_text(ARTICLE.replace("two", "three"), "utf-8")
    result = runner.invoke(["ingest", "--json", str(folder)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert len(report["ok"]) == 1
    [failed] = report["failed"]
    assert failed["path"].endswith("bad.txt") and "aliases are not accepted" in failed["reason"]
    assert len(failed["reason"]) < 400
    assert len(store.articles()) == 1


def test_a_curated_file_with_aliases_is_refused_whole(runner, store, tmp_path):
    curated = tmp_path / "events.yaml"
    curated.write_text(
        "- &e {event_id: ev-a, event_type: attack, date_start: 2024-01-01}\n- *e\n", "utf-8"
    )
    result = runner.invoke(["events", "apply-curated", str(curated)])
    assert result.exit_code != 0
    assert "aliases are not accepted" in result.output and "Traceback" not in result.output
    assert store.count() == 0
