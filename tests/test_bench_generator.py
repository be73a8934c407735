"""The benchmark corpus generator (bench/generate.py): deterministic, review-shaped, ingestible."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def doc(gen: ModuleType) -> str:
    return gen.generate_document(0, 1)


def table_rows(text: str) -> list[list[str]]:
    """Data rows of every ``Table N.`` block: TAB lines after the header, up to a blank line."""
    rows: list[list[str]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("Table "):
            continue
        body = [x for x in lines[i + 1 : i + 40] if x.strip()]
        tab_lines = []
        for x in body:
            if "\t" not in x:
                break
            tab_lines.append(x.split("\t"))
        rows.extend(tab_lines[1:])
    return rows


def test_same_seed_same_text(gen: ModuleType) -> None:
    assert gen.generate_document(7, 3) == gen.generate_document(7, 3)


def test_seed_and_index_change_the_text(gen: ModuleType) -> None:
    texts = {gen.generate_document(s, i) for s in (0, 1) for i in (0, 1)}
    assert len(texts) == 4


def test_write_corpus_is_a_prefix_and_rewrites_identically(gen: ModuleType, tmp_path: Path) -> None:
    small = gen.write_corpus(tmp_path / "a", 2, seed=3)
    large = gen.write_corpus(tmp_path / "b", 3, seed=3)
    assert [p.read_bytes() for p in small] == [p.read_bytes() for p in large[:2]]


def test_document_has_the_review_parts(doc: str) -> None:
    assert "1. Introduction" in doc
    assert "\nReferences\n" in doc
    assert "Table 1. Summary of" in doc
    assert " = trimethylaluminum" in doc or " = " in doc.split("Table 1.")[1][:4000]
    assert "Figure " in doc or "[" in doc


def test_document_is_review_sized(doc: str) -> None:
    assert 85_000 <= len(doc.encode("utf-8")) <= 130_000


def test_tables_have_seven_or_eight_columns_and_one_to_three_per_document(gen: ModuleType) -> None:
    for i in range(6):
        text = gen.generate_document(0, i)
        assert 1 <= text.count("\nTable ") <= 3
        rows = table_rows(text)
        assert rows
        assert all(len(r) in (7, 8) for r in rows)


def test_noise_like_the_converted_review(gen: ModuleType) -> None:
    text = "".join(gen.generate_document(0, i) for i in range(8))
    for noise in ("_2O_3", " ₂ ", "cm⁻²", "cm^{-2}", "AIEG", "–"):
        assert noise in text, noise


@pytest.mark.parametrize(
    ("formula", "allowed"),
    [
        ("LiF", {"LiF"}),
        ("Al2O3", {"Al2O3", "Al_2O_3", "Al ₂ O ₃", "Al₂O₃", "$\\text{Al}_2\\text{O}_3$"}),
    ],
)
def test_render_formula_spellings(gen: ModuleType, formula: str, allowed: set[str]) -> None:
    assert {gen.render_formula(formula, random.Random(i)) for i in range(60)} <= allowed


def test_terms_are_in_the_vocabulary(gen: ModuleType) -> None:
    vocab_mod = pytest.importorskip("kg.vocab")
    vocab = vocab_mod.load_vocabulary()
    for recipe in gen.RECIPES:
        assert vocab.lookup("Material", recipe.material), recipe.material
        for seq in recipe.sequences:
            for p in seq:
                assert vocab.lookup("Precursor", p), p


def test_documents_ingest_with_a_coating_per_table_row(gen: ModuleType, tmp_path: Path) -> None:
    pipeline = pytest.importorskip("kg.pipeline")
    paths = gen.write_corpus(tmp_path, 3, seed=0)
    built = pipeline.build_files(paths)
    for path, doc in zip(paths, built, strict=True):
        rows = table_rows(path.read_text(encoding="utf-8"))
        assert doc.coatings >= len(rows) > 0, (path.name, doc.coatings, len(rows))
        assert doc.triples > 100
