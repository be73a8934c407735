"""Prose extraction, by job: the vocabulary matcher, attribution to studies, fact rules.

``ingest.prose.default_matcher`` / ``VocabularyMatcher`` are the one vocabulary matcher that
ingest and ``kg ask`` share; ``extract_prose`` reads a structured document's sentences.
"""

from ingest.prose.extractor import extract_prose
from ingest.prose.matcher import MATCH_KINDS, Mention, VocabularyMatcher, default_matcher
from ingest.prose.words import OUTCOME_KINDS, PROPERTY_KINDS

__all__ = [
    "MATCH_KINDS",
    "OUTCOME_KINDS",
    "PROPERTY_KINDS",
    "Mention",
    "VocabularyMatcher",
    "default_matcher",
    "extract_prose",
]
