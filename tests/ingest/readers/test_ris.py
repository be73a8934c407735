"""RIS exports: one primary-study document per record; a record without ER is refused."""

from __future__ import annotations

import pytest

from ingest.readers import ris
from ingest.records import IngestError

RIS = """TY  - JOUR
TI  - A zincone film on sodium
AU  - Park, S.
AU  - Kim, H. J.
PY  - 2018///
JO  - Energy Letters Test
VL  - 7
SP  - 55
EP  - 61
DO  - 10.5555/RIS.1
AB  - We deposit a zincone by MLD on sodium foil. Cells cycle for 300 h.
ER  -

TY  - JOUR
TI  - No abstract here
AU  - Doe, J.
PY  - 2019
ER  -

TY  - JOUR
T1  - Second title
A1  - Roe, R.
Y1  - 2020
T2  - Another Journal
N2  - An abstract in the N2 field.
ER  -
"""


def test_records_become_documents() -> None:
    docs = ris.read("export.ris", RIS.encode())
    assert [(d.doc_id, d.path, d.record, d.line) for d in docs] == [
        ("export-1", "export.ris#1", 1, 1),
        ("export-3", "export.ris#3", 3, 20),
    ]
    meta = docs[0].metadata
    assert meta.title == "A zincone film on sodium"
    assert meta.authors == ("Park, S.", "Kim, H. J.")
    assert (meta.year, meta.venue, meta.volume, meta.first_page, meta.doi) == (
        2018,
        "Energy Letters Test",
        "7",
        "55",
        "10.5555/ris.1",
    )
    assert "\nWe deposit a zincone by MLD on sodium foil. Cells" in docs[0].text
    assert (docs[1].metadata.title, docs[1].metadata.year) == ("Second title", 2020)
    assert docs[1].metadata.venue == "Another Journal"
    assert "record 2 (line 14)" in docs[0].notes[0]


def test_sniffed_in_a_txt_file() -> None:
    assert ris.sniff(RIS.encode()[:100])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "TY  - JOUR\nTI  - One\nAB  - x\n\nTY  - JOUR\nTI  - Two\nAB  - y\nER  - \n",
            r"RIS record 1 \(line 1\) has no 'ER  -' line before the next record at line 5",
        ),
        (
            "TY  - JOUR\nTI  - One\nAB  - x\nER  - \nTY  - JOUR\nTI  - Two\n",
            r"RIS record 2 \(line 5\) has no 'ER  -' line before the end of the file",
        ),
    ],
)
def test_record_without_er_is_refused_with_its_line(text: str, message: str) -> None:
    with pytest.raises(IngestError, match=rf"refs\.ris: {message}"):
        ris.read("refs.ris", text.encode())
