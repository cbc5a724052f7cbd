"""The language pipeline: the model's attribute rules applied without spaCy's Matcher give
exactly the attributes spaCy's ruler gives. Texts written for these tests and the demo
articles."""

from datetime import date

import pytest

from geo.common import nlp
from geo.common.attributes import AttributeRules, compile_rules
from geo.common.paths import DEMO_ARTICLES

# Words the model's exceptions are about: contractions, "not", pronouns by their
# dependency, "there is", runs of white space, a possessive, auxiliaries.
TRICKY = (
    "I ain't gonna wait, y'all said. Let's c'm on! Nothin' is gotta stop them.\n\n  "
    "There are    two checkpoints. It was I who saw it; they gave it to me and you.  \t"
    "He gets tired. She got shelled twice but did n't leave, and he didn't either. "
    "Whether it holds is unclear, since the town's mayor has had to flee. "
    "What they did was that, which they had done before. Y all stayed. Do you?\n"
)


def _before_rules(pipeline):
    names = [name for name, _ in pipeline.pipeline]
    return pipeline.pipeline[: names.index("attribute_rules")]


def _attrs(doc):
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_the_pipeline_uses_the_attribute_rules_in_place_of_the_ruler():
    names = nlp.load().pipe_names
    assert "attribute_rules" in names and "attribute_ruler" not in names
    assert names.index("parser") < names.index("attribute_rules") < names.index("lemmatizer")


@pytest.mark.parametrize("source", ["tricky", "demo"])
def test_the_attribute_rules_set_what_spacys_ruler_sets(source):
    pipeline = nlp.load()
    rules = pipeline.get_pipe("attribute_rules")
    texts = [TRICKY] if source == "tricky" else [
        p.read_text("utf-8") for p in sorted(DEMO_ARTICLES.glob("*.txt"))
    ]  # fmt: skip
    changed = 0
    for text in texts:
        doc = pipeline.make_doc(text)
        for _, component in _before_rules(pipeline):
            doc = component(doc)
        ours, theirs = doc.copy(), doc.copy()
        rules(ours)
        rules.ruler(theirs)
        assert _attrs(ours) == _attrs(theirs)
        changed += sum(a != b for a, b in zip(_attrs(ours), _attrs(doc), strict=True))
    assert changed > 20  # the rules did set attributes (POS on every token)


def test_the_exceptions_apply_with_their_precedence():
    doc = nlp.parse("They didn't go. I ain't sure.")
    by_text = {t.text: t for t in doc}
    assert (by_text["n't"].pos_, by_text["n't"].lemma_) == ("PART", "not")
    assert str(by_text["n't"].morph) == "Polarity=Neg"
    assert by_text["ai"].lemma_ == "be"  # a two-token pattern ("ai" + "n't")
    assert by_text["did"].pos_ == "AUX"


def test_a_pattern_it_cannot_read_keeps_spacys_ruler():
    class Ruler:
        vocab = nlp.load().vocab
        attrs = [{}]
        patterns = [{"patterns": [[{"LOWER": "x", "OP": "+"}]], "attrs": {}, "index": 0}]

    assert compile_rules(Ruler()) is None
    with pytest.raises(Exception):  # noqa: B017 - the private _Unsupported
        AttributeRules(Ruler())


def test_pieces_join_back_and_cut_at_line_breaks():
    text = ("Shelling hit Lubny on Friday. Two people were killed.\n\n" * 40) + "x" * 700
    parts = nlp.pieces(text, size=500)
    assert "".join(parts) == text
    assert all(len(p) <= 500 for p in parts)
    assert all(p.endswith("\n") for p in parts[:-2])  # cut after a line break


def test_a_text_longer_than_a_piece_is_parsed_whole(monkeypatch):
    from geo.extract import find_events

    monkeypatch.setattr(nlp, "PIECE_CHARS", 400)  # the mechanism, on a short text
    text = "Russian forces shelled Lubny on Friday, killing two civilians.\n\n" * 20
    doc = nlp.parse(text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    assert sum(1 for _ in doc.sents) == 20
    found = find_events(text, published=date(2024, 5, 10))
    assert len(found) == 20 and all(text[slice(*e.place_span)] == "Lubny" for e in found)
    # a batch with a long text keeps the order of the texts
    docs = list(nlp.parse_many(["Kyiv.", text, "Lviv."]))
    assert [d.text for d in docs] == ["Kyiv.", text, "Lviv."]
