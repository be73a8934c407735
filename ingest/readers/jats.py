"""JATS XML (PubMed Central, publishers): front matter, abstract, sections, tables, references.

Parsed with lxml without a DTD, entity resolution or network; a DOCTYPE that declares entities
is refused before parsing (entity-expansion and external-entity attacks need one).
"""

from __future__ import annotations

import re

from lxml import etree

from ingest.readers.checks import decode_text
from ingest.readers.common import clean_doi, file_name, year_of
from ingest.readers.layout import Article, Section, Table, render
from ingest.readers.markup import inline, local
from ingest.records import DocumentMetadata, IngestError, SourceDocument
from ingest.structure import doc_id_for

_JATS = re.compile(rb"<article[\s>]|JATS|NLM//DTD|<article-meta", re.I)
_XML = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml|<!DOCTYPE\s+article|<article[\s>])", re.I)
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_XHTML = re.compile(rb"<!DOCTYPE\s+html|<html[\s>]", re.I)


def sniff(head: bytes) -> bool:
    """XML whose root is a JATS ``<article>`` (or that names the JATS/NLM DTD)."""
    return bool(_XML.match(head)) and bool(_JATS.search(head)) and not _XHTML.search(head)


def _parse(name: str, data: bytes) -> etree._Element:
    if _ENTITY.search(data):
        raise IngestError(
            f"{name}: the XML's DOCTYPE declares entities, which are refused (they can expand "
            "without bound or read other files). Remove the <!ENTITY …> declarations and retry."
        )
    decode_text(name, data)  # NUL, UTF-16 and size checks with the same words as text
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise IngestError(f"{name}: not well-formed XML (line {e.lineno}: {e.msg}).") from e
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = local(el.tag)
    if root.tag != "article":
        raise IngestError(f"{name}: XML, but not a JATS article (root <{root.tag}>).")
    return root


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _author(contrib: etree._Element) -> str:
    surname, given = _text(contrib.find(".//surname")), _text(contrib.find(".//given-names"))
    if surname:
        return f"{surname}, {given}" if given else surname
    return _text(contrib.find(".//string-name")) or _text(contrib.find(".//collab"))


def _metadata(root: etree._Element) -> DocumentMetadata:
    meta = root.find("front/article-meta")
    if meta is None:
        return DocumentMetadata()
    authors = tuple(
        a for a in (_author(c) for c in meta.iterfind(".//contrib[@contrib-type='author']")) if a
    )
    doi = next((_text(i) for i in meta.iterfind("article-id") if i.get("pub-id-type") == "doi"), "")
    return DocumentMetadata(
        title=_text(meta.find("title-group/article-title")) or None,
        authors=authors,
        year=year_of(_text(meta.find("pub-date/year"))),
        venue=_text(root.find("front/journal-meta//journal-title")) or None,
        volume=_text(meta.find("volume")) or None,
        first_page=_text(meta.find("fpage")) or None,
        doi=clean_doi(doi),
    )


def _initials(given: str) -> str:
    return " ".join(f"{p[0]}." for p in re.split(r"[\s.]+", given) if p)


def _reference(ref: etree._Element, special) -> str:
    """A ``<ref>`` as one line: structured citations in the ``Surname, I.; … Title. *Venue*
    **Year**, *Vol*, page.`` form structure parses; mixed citations as written."""
    cit = next(
        (c for c in ref if local(c.tag) in ("element-citation", "mixed-citation", "citation")), ref
    )
    doi = next((_text(p) for p in cit.iterfind("pub-id") if p.get("pub-id-type") == "doi"), "")
    if cit.tag == "element-citation":
        names = [
            f"{_text(n.find('surname'))}, {_initials(_text(n.find('given-names')))}".strip(", ")
            for n in cit.iterfind(".//name")
        ]
        title = _text(cit.find("article-title")) or _text(cit.find("chapter-title"))
        parts = ["; ".join(names) + (" " if names else "") + (f"{title}." if title else "")]
        venue, year = _text(cit.find("source")), _text(cit.find("year"))
        tail = ", ".join(
            x
            for x in (
                f"*{venue}*" if venue else "",
                f"**{year}**" if year else "",
                _text(cit.find("volume")),
                _text(cit.find("fpage")),
            )
            if x
        )
        line = " ".join(p for p in (*parts, tail) if p).strip()
    else:
        line = " ".join(inline(cit, special).split())
    if doi and doi.lower() not in line.lower():
        line += f" doi:{doi}"
    return line


def _table(wrap: etree._Element, special) -> Table:
    caption = " ".join(
        x
        for x in (
            _text(wrap.find("label")),
            inline(wrap.find("caption"), special) if wrap.find("caption") is not None else "",
        )
        if x
    )
    rows = tuple(
        tuple(inline(cell, special) for cell in tr if local(cell.tag) in ("th", "td"))
        for tr in wrap.iter("tr")
    )
    return Table(caption, rows)


def _blocks(container: etree._Element, special) -> list[str | Table]:
    out: list[str | Table] = []
    for el in container:
        name = local(el.tag)
        if name == "p":
            out.append(inline(el, special))
            out.extend(_table(t, special) for t in el.iter("table-wrap"))
        elif name == "table-wrap":
            out.append(_table(el, special))
        elif name == "fig":
            label, cap = _text(el.find("label")), el.find("caption")
            out.append(f"{label}. {inline(cap, special)}" if label and cap is not None else "")
        elif name in ("list", "disp-quote", "boxed-text"):
            out.extend(inline(p, special) for p in el.iter("p"))
    return out


def _sections(body: etree._Element | None, special) -> list[Section]:
    if body is None:
        return []
    out = [Section(None, tuple(_blocks(body, special)))]
    for sec in body.iter("sec"):
        out.append(Section(_text(sec.find("title")) or None, tuple(_blocks(sec, special))))
    return out


def read(name: str, data: bytes) -> list[SourceDocument]:
    """One article: metadata from ``<front>``, the layout text from abstract, body and refs.

    Raises:
        IngestError: entities declared, not well-formed, or not a JATS article.
    """
    root = _parse(name, data)
    refs = [
        r
        for r in root.iter("ref")
        if r.getparent() is not None and local(r.getparent().tag) == "ref-list"
    ]
    numbers = {r.get("id"): i for i, r in enumerate(refs, 1) if r.get("id")}

    def special(el: etree._Element, before: str) -> str | None:
        if local(el.tag) == "xref" and el.get("ref-type") == "bibr":
            found = [numbers[r] for r in (el.get("rid") or "").split() if r in numbers]
            return "[" + ",".join(map(str, found)) + "]" if found else _text(el)
        return None

    meta = _metadata(root)
    abstract = root.find("front/article-meta/abstract")
    article = Article(
        title=meta.title or "",
        byline="; ".join(meta.authors),
        venue_line=", ".join(x for x in (meta.venue, str(meta.year or "")) if x),
        abstract=tuple(inline(p, special) for p in abstract.iter("p"))
        if abstract is not None
        else (),
        sections=tuple(_sections(root.find("body"), special)),
        references=tuple(_reference(r, special) for r in refs),
    )
    return [SourceDocument(doc_id_for(name), file_name(name), "jats", render(article), meta)]
