"""Is a document a review of other studies, or a primary study that reports its own work?

A review's findings cite the studies they come from ("... for 500 h [96]", "(Niu et al.,
2021)", "Zhao et al. coated ..."); a primary study's findings are its own ("we deposited ...",
"here we report ...", "our films ..."), and an abstract or an export record carries no citation
at all. The decision is made from the text alone (no flag), so a user can drop any paper in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.records import Sentence

#: Formats that hold one bibliographic record with its abstract: always the study itself.
EXPORT_FORMATS = frozenset({"bibtex", "ris", "csv"})

# Verbs a paper uses for its own experiments or claims, after "we" (optionally an adverb).
_OWN_VERBS = (
    r"report|demonstrat|show|present|deposit|grow|grew|coat|prepar|fabricat|synthesi[sz]|"
    r"develop|propos|design|appl|use|used|employ|introduc|find|found|observ|achiev|investigat|"
    r"stud|examin|explor|construct|assembl|test|measur|reveal|obtain|made|make|buil|engineer|"
    r"set out|modif|protect|combin|evaluat|compar|identif|characteri[sz]|perform|realiz|"
    r"establish|tailor|optimi[sz]|quantif|discover"
)
_OWN_WORK = re.compile(
    rf"(?i)\b(?:here(?:in)?,? we|we (?:\w+ )?(?:{_OWN_VERBS})\w*|"
    r"our (?:\w+ )?(?:results?|findings?|work|study|approach|method|films?|coatings?|layers?|"
    r"data|experiments?|strategy|calculations?|cells?|electrodes?|anodes?|process)|"
    r"(?:this|the present) (?:work|study|paper|letter|communication) "
    r"(?:reports?|demonstrates?|shows?|presents?|describes?|introduces?))\b"
)
# How a review describes itself.
_REVIEW_SELF = re.compile(
    r"(?i)\b(?:(?:this|the present|our|a|short|mini|critical) (?:mini-?)?review\b|"
    r"mini-?review|we (?:\w+ly )?(?:review|summari[sz]e|survey|overview|outline)|"
    r"we (?:read|list|tabulate|collect|compare|discuss) (?:the |recent |published )?"
    r"(?:studies|works|reports|papers|literature)|"
    r"(?:this|the present) (?:article|paper|work|note|chapter) (?:reviews|summari[sz]es|surveys|"
    r"covers|overviews)|in this (?:mini-?)?review)"
)
# How a review's title names it.
_REVIEW_TITLE = re.compile(
    r"(?i)\b(?:(?:mini-?)?review|overview|perspective|survey|"
    r"recent (?:progress|advances|developments))\b"
)
# A citation the sentence splitter does not turn into numbers: "(Niu et al., 2021)",
# "Jin et al. (2022)", "Kazyak et al. [2015]", "(Peled, 1979)", "Zhao et al. coated", "(7)".
_YEAR = r"(?:1[89]|20)\d{2}[a-z]?"
_NAMED_CITATION = re.compile(
    rf"\b[A-Z][\w'’\-]+(?: (?:and|&) [A-Z][\w'’\-]+)?,? (?:et al\.,? )?[(\[]?{_YEAR}[)\]]|"
    rf"\([A-Z][\w'’\-]+(?: (?:and|&) [A-Z][\w'’\-]+| et al\.)?,? {_YEAR}(?:[;,][^)]*)?\)|"
    r"\b[A-Z][\w'’\-]+ et al\. (?!\()"
)


@dataclass(frozen=True)
class KindDecision:
    kind: str  # "primary" or "review"
    reason: str  # in words, for `kg ingest` and `kg docs`


def _cites(sentence: Sentence) -> bool:
    return bool(sentence.citations) or bool(_NAMED_CITATION.search(sentence.text))


def decide_kind(
    sentences: Sequence[Sentence], *, title: str = "", format: str = "text"
) -> KindDecision:
    """Read the document as a primary study or a review, and say why.

    >>> from ingest.records import Sentence
    >>> s = lambda i, t, c=(): Sentence(i, t, 0, 0, None, 0, c)
    >>> decide_kind([s(0, "We deposited LiF on Li by ALD.")]).kind
    'primary'
    >>> decide_kind([s(0, "Al2O3 on Na cycled for 500 h.", (96,))] * 3).kind
    'review'
    """
    if format in EXPORT_FORMATS:
        return KindDecision("primary", "an export record: the record is the study")
    cited = sum(1 for s in sentences if _cites(s))
    own = sum(1 for s in sentences if not _cites(s) and _OWN_WORK.search(s.text))
    if cited == 0:
        return KindDecision("primary", "no finding cites another study")
    head = [s.text for s in sentences[:20] if not _cites(s)]
    if _REVIEW_TITLE.search(title) or any(_REVIEW_SELF.search(t) for t in head):
        return KindDecision("review", "it describes itself as a review")
    if own and own * 4 >= cited:
        return KindDecision(
            "primary", f"{own} sentence(s) report the authors' own work; {cited} cite others"
        )
    if cited * 10 >= len(sentences) * 3:
        return KindDecision("review", f"{cited} of {len(sentences)} sentences cite studies")
    return KindDecision(
        "primary", f"only {cited} of {len(sentences)} sentences cite studies; the rest is its own"
    )
