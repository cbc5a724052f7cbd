"""What the article-event tests share: a publication day, a background paragraph to end
each article with, and the events an article reports."""

from datetime import date

from geo.extract import find_events

PUB = date(2024, 9, 13)  # a Friday

#: A closing paragraph of background that reports no event.
TAIL = (
    "\n\nThe region has had a hard year. Aid groups said food prices had doubled. "
    "Schools in the area have stayed shut since the start of term."
)


def reported(text, gaz):
    """Return the events ``text`` reports (those not left out as background or repeats)."""
    return [e for e in find_events(text, published=PUB, gazetteer=gaz, keep_all=True)
            if e.unreported is None]  # fmt: skip
