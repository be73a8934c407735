"""Keyword search over labels, aliases and evidence sentences: the fallback when ask cannot
read a question, and a quick way to find where a word occurs.

The index is built from one SPARQL query per store and cached until the store's documents
change; scoring is a small TF-IDF in Python (labels weigh more than sentences), fast enough
to run on every keystroke of the app.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from kg.ask.words import FUNCTION_WORDS
from kg.namespaces import BASE
from kg.query import prefix_block
from kg.vocab import label_key

__all__ = ["INDEX_QUERY", "search"]

DOC_GRAPH = f"{BASE}graph/doc/"

INDEX_QUERY = (
    prefix_block()
    + """SELECT ?s ?p ?text ?g ?type ?ref ?table ?row ?section ?sentence WHERE {
  GRAPH ?g { ?s ?p ?text }
  VALUES ?p { skos:prefLabel skos:altLabel rdfs:label akg:sourceText akg:fullName dcterms:title }
  OPTIONAL { ?s a ?type }
  OPTIONAL { { ?s akg:citationNumber ?ref } UNION { ?s akg:reportedIn/akg:citationNumber ?ref }
    UNION { ?o prov:wasDerivedFrom ?s . ?o akg:reportedIn/akg:citationNumber ?ref }
    UNION { ?o prov:wasDerivedFrom ?s . ?owner akg:hasMeasurement ?o .
            ?owner akg:reportedIn/akg:citationNumber ?ref } }
  OPTIONAL { ?s akg:tableNumber ?table } OPTIONAL { ?s akg:rowNumber ?row }
  OPTIONAL { ?s akg:section ?section } OPTIONAL { ?s akg:sentenceIndex ?sentence }
}"""
)

_WORD = re.compile(r"[\w]+(?:[-/.][\w]+)*", re.UNICODE)
#: Search drops only function words: a word like "stable" or "coating" is worth finding.
_STOP = FUNCTION_WORDS
_LABEL_WEIGHT = {"sourceText": 1.0, "title": 1.5}


def _tokens(text: str) -> list[str]:
    """Lower-cased words plus their label keys (so ``Al₂O₃`` finds ``Al2O3``)."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        word = m.group().lower()
        if word in _STOP:
            continue
        out.append(word)
        key = label_key(m.group())
        if key and key != word:
            out.append(key)
        if "-" in word or "/" in word:
            out.extend(w for w in re.split(r"[-/]", word) if w and w not in _STOP)
    return out


@dataclass(frozen=True)
class _Entry:
    subject: str
    kind: str
    text: str
    weight: float
    doc: str | None
    ref: int | None
    location: str | None
    tf: dict[str, int]
    length: int


@dataclass
class _Index:
    entries: list[_Entry]
    postings: dict[str, list[int]]
    idf: dict[str, float]


_CACHE: dict[tuple[int, tuple[str, ...]], _Index] = {}


def _kind(types: set[str], predicate: str) -> str:
    if predicate.endswith("sourceText"):
        return "evidence"
    for t in sorted(types):
        local = t.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if local not in ("Concept", "Class", "Entity") and t.startswith(BASE):
            return local
    for t in sorted(types):
        local = t.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if local != "Concept":
            return local
    return "concept" if types else "resource"


def _location(row: dict[str, Any]) -> str | None:
    from kg.table import describe_source

    if row.get("table") is None and row.get("section") is None and row.get("sentence") is None:
        return None
    return describe_source(row)


def _build(store: Any) -> _Index:
    grouped: dict[tuple[str, str, str], dict[str, Any]] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for row in store.select(INDEX_QUERY):
        if not isinstance(row.get("text"), str):
            continue
        key = (row["s"], row["p"], row["text"])
        if row.get("type"):
            types[row["s"]].add(row["type"])
        current = grouped.get(key)
        if current is None:
            grouped[key] = dict(row)
        elif current.get("ref") is None and row.get("ref") is not None:
            current["ref"] = row["ref"]
    entries: list[_Entry] = []
    for (subject, predicate, text), row in grouped.items():
        tokens = _tokens(text)
        if not tokens:
            continue
        graph = row.get("g") or ""
        local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        entries.append(
            _Entry(
                subject=subject,
                kind=_kind(types.get(subject, set()), predicate),
                text=text,
                weight=_LABEL_WEIGHT.get(local, 2.0),
                doc=graph[len(DOC_GRAPH) :] if graph.startswith(DOC_GRAPH) else None,
                ref=row.get("ref") if isinstance(row.get("ref"), int) else None,
                location=_location(row),
                tf=dict(Counter(tokens)),
                length=len(tokens),
            )
        )
    postings: dict[str, list[int]] = defaultdict(list)
    for i, entry in enumerate(entries):
        for token in entry.tf:
            postings[token].append(i)
    n = max(len(entries), 1)
    idf = {t: math.log(1 + n / len(ids)) for t, ids in postings.items()}
    return _Index(entries, dict(postings), idf)


def _index(store: Any) -> _Index:
    documents = tuple(store.documents()) if hasattr(store, "documents") else ()
    key = (id(store), documents)
    index = _CACHE.get(key)
    if index is None:
        for old in [k for k in _CACHE if k[0] == id(store)]:
            del _CACHE[old]
        index = _CACHE[key] = _build(store)
    return index


def clear_cache() -> None:
    """Forget every cached index (tests; after writing to a store in place)."""
    _CACHE.clear()


def search(words: str, store: Any, *, limit: int = 20) -> list[dict[str, Any]]:
    """Ranked keyword matches: kind, label, score and source (doc, ref, location, text).

    >>> search("", None)
    []
    """
    query = list(dict.fromkeys(_tokens(words)))
    if not query or store is None:
        return []
    index = _index(store)
    scores: dict[int, float] = defaultdict(float)
    for token in query:
        idf = index.idf.get(token)
        if idf is None:
            continue
        for i in index.postings[token]:
            entry = index.entries[i]
            tf = 1 + math.log(entry.tf[token])
            scores[i] += entry.weight * idf * tf / math.sqrt(entry.length)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], index.entries[kv[0]].text))
    results: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for i, score in ranked:
        entry = index.entries[i]
        if (entry.kind, entry.text) in seen:
            continue
        seen.add((entry.kind, entry.text))
        label = entry.text if len(entry.text) <= 80 else entry.text[:77] + "..."
        results.append(
            {
                "kind": entry.kind,
                "label": label,
                "score": round(score, 4),
                "iri": entry.subject,
                "source": {
                    "doc": entry.doc,
                    "ref": entry.ref,
                    "location": entry.location,
                    "text": entry.text,
                },
            }
        )
        if len(results) >= limit:
            break
    return results
