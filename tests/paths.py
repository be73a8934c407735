"""Where the shared inputs are, seen from the project: ``../shared`` beside the checkout."""

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS_DIR = SHARED / "corpus"
REVIEW = CORPUS_DIR / "ald-mld-alkali-metal-anodes-review.txt"
GOLD_DIR = SHARED / "gold"
GOLD_ROWS = GOLD_DIR / "table_rows_dev.json"
GOLD_QUESTIONS = GOLD_DIR / "questions_dev.json"
