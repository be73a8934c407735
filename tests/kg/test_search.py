"""kg/search.py: ranked keyword matches over labels, aliases and evidence sentences."""

from __future__ import annotations

from kg.search import clear_cache, search


def test_empty_words_give_nothing(ask_store: object) -> None:
    assert search("", ask_store) == []
    assert search("the of and", ask_store) == []


def test_hits_carry_kind_label_score_and_source(ask_store: object) -> None:
    hits = search("shear modulus", ask_store)
    assert hits
    evidence = [h for h in hits if h["kind"] == "evidence"]
    assert evidence and "58 GPa" in evidence[0]["source"]["text"]
    assert evidence[0]["source"]["doc"] == "askdoc"
    assert evidence[0]["source"]["location"] == "section Properties, sentence 0"
    assert all(set(h) >= {"kind", "label", "score", "source"} for h in hits)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_aliases_and_formula_spellings_match(ask_store: object) -> None:
    kinds = {h["kind"] for h in search("trimethylaluminum", ask_store)}
    assert "Precursor" in kinds
    labels = [h["label"] for h in search("Al₂O₃", ask_store)]
    assert any("Al2O3" in label for label in labels)


def test_studies_carry_their_ref(ask_store: object) -> None:
    hits = search("Kazyak", ask_store)
    assert hits[0]["source"]["ref"] == 2


def test_limit_and_unknown_words(ask_store: object) -> None:
    assert len(search("coating Li", ask_store, limit=3)) <= 3
    assert search("purple elephants dancing", ask_store) == []


def test_index_follows_the_documents(ask_store: object) -> None:
    from kg.store import open_store

    other = open_store(memory=True)
    assert search("Kazyak", other) == []
    clear_cache()
    assert search("Kazyak", ask_store)
