"""Fixtures of the attack suite: a write token and its Authorization header."""

import pytest


@pytest.fixture
def auth(store):
    """The Authorization header of a valid write token on ``store``."""
    return {"Authorization": f"Bearer {store.create_token('attacker-with-a-token')}"}
