"""The readers' docstring examples run, so they cannot go stale."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

import ingest.readers
import ingest.readers.common
import ingest.readers.latex
import ingest.readers.layout
import ingest.readers.markdown
import ingest.readers.markup


@pytest.mark.parametrize(
    "module",
    [
        ingest.readers,
        ingest.readers.common,
        ingest.readers.latex,
        ingest.readers.layout,
        ingest.readers.markdown,
        ingest.readers.markup,
    ],
    ids=lambda m: m.__name__,
)
def test_doctests(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
