"""Work for forked workers in tests: importable by name (a test module is not), so a worker
host started fresh can unpickle it."""

from __future__ import annotations

import time
from typing import Any

from kg.errors import StoreError

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def count_labels(store: Any) -> int:
    return len(list(store.query(f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s <{LABEL}> ?l }} }}")))


def sleep_for(store: Any, seconds: float) -> None:
    time.sleep(seconds)


def refuse(store: Any) -> None:
    raise StoreError("refused on purpose")
