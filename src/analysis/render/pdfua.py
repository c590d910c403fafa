"""Chromium's tagged PDF -> a PDF/UA-1 PDF: what Chromium's tags lack, added with pikepdf after it prints.

In: the bytes Chromium printed with ``tagged=True`` and ``outline=True`` (a structure tree, ``/Lang``, the page's
title, bookmarks) and the name of the file they come from (for errors). Out: the same pages, byte for byte the
same drawing, with the repairs in :data:`FIXES` applied and, only when every one of them ran and the file has
what PDF/UA cannot do without (tags, a language, a title), ``pdfuaid:part`` 1 declared in its XMP metadata.

Each repair is one function over an open :class:`pikepdf.Pdf` and its structure tree (``render.pdftags.Tags``),
registered in :data:`FIXES` under the name of the rule family it answers: the tree's repairs are in
``render/pdftags.py``, those of the pages' content, the links and the metadata here. A caller (a test) may switch
one off to see its rule fail. None of them knows what a report says: they hold for any HTML Chromium prints. Two
repairs need the page itself and are made before Chromium prints (``render/pdf.py``): empty table cells (Chromium
leaves a cell that paints nothing out of the tags, so rows would hold different numbers of cells) and bare URLs
(made links, so the PDF has link annotations).
"""

from __future__ import annotations

import bisect
import io
import re
import zlib
from collections.abc import Callable, Iterable, Iterator

import pikepdf

from analysis.errors import BuildError
from analysis.render.pdftags import (
    Tags,
    fix_figure_groups,
    fix_lists,
    fix_repeated_headers,
    fix_role_map,
    fix_table_headers,
)

# Content-stream operators (ISO 32000-1, tables 51, 59, 107) by what they do to marked content and painting. A path
# is begun by m or re and ended by a painting operator or by n, which paints nothing (a clip).
OPERATOR_KINDS = {
    "BDC": "begin", "BMC": "begin", "EMC": "end", "m": "path", "re": "path", "n": "end-path",
    **dict.fromkeys(("S", "s", "f", "F", "f*", "B", "B*", "b", "b*"), "paint-path"),
    **dict.fromkeys(("Tj", "TJ", "'", '"', "Do", "sh", "INLINE IMAGE"), "paint"),
}
ARTIFACT_BEGIN, ARTIFACT_END = b"\n/Artifact BMC\n", b"\nEMC\n"

# What a scan of a page's bytes looks for (see _untagged_stretches). Operators are whole tokens: after whitespace or
# the end of an operand (">", "]", ")"), before whitespace, the start of an operand or the end. Found with
# bytes.find and checked per hit: a regular expression with look-arounds at every byte is five times slower.
MARKS = (b"BDC", b"BMC", b"EMC")
TOKEN_BEFORE = frozenset(b" \t\r\n\f\x00>])")
TOKEN_AFTER = frozenset(b" \t\r\n\f\x00/[(<%")
PAINTS = re.compile(rb"(?<![^\s>\])])(?:f\*?|F|S|s|B\*?|b\*?|Tj|TJ|'|\"|Do|sh)(?![^\s/\[(<%])")
LITERAL_STRING = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\)", re.S)
UNSURE = re.compile(rb"%|<(?<!<<)(?!<)[0-9A-Fa-f]*\s|BI")  # a comment, a hex string with whitespace, an inline image


def _artifact_spans(operators: list[str]) -> list[tuple[int, int]]:
    """Where the page paints outside all marked content: ``(start, end)`` index ranges into ``operators``, each to
    be wrapped in ``/Artifact BMC … EMC``. A path is wrapped whole (from its first ``m``/``re`` to the operator
    that paints it), since marked content may not split a path; text is wrapped operator by operator, since
    Chromium's text objects mix tagged and untagged runs."""
    spans = []
    depth = 0  # marked-content nesting
    path_start: int | None = None  # where the current untagged path began
    for i, op in enumerate(operators):
        kind = OPERATOR_KINDS.get(op)
        if kind is None:
            continue
        if kind == "begin":
            depth += 1
        elif kind == "end":
            depth -= 1
        elif depth:
            continue
        elif kind == "path":
            if path_start is None:
                path_start = i
        elif kind == "paint-path" and path_start is not None:
            spans.append((path_start, i + 1))
            path_start = None
        elif kind in ("paint-path", "end-path"):
            path_start = None
        else:  # text, an image, a form, a shading
            spans.append((i, i + 1))
    return spans


def _with_artifacts(instructions: list, spans: list[tuple[int, int]]) -> bytes:
    """``instructions`` as content-stream bytes, the ranges in ``spans`` each wrapped in ``/Artifact BMC … EMC``."""
    parts, done = [], 0
    for start, end in spans:
        parts += (pikepdf.unparse_content_stream(instructions[done:start]), ARTIFACT_BEGIN,
                  pikepdf.unparse_content_stream(instructions[start:end]), ARTIFACT_END)
        done = end
    parts.append(pikepdf.unparse_content_stream(instructions[done:]))
    return b"".join(parts)


def _tokens(data: bytes, word: bytes) -> Iterator[int]:
    """Where ``word`` stands as an operator of its own in ``data``."""
    at = data.find(word)
    while at >= 0:
        after = at + len(word)
        if (at == 0 or data[at - 1] in TOKEN_BEFORE) and (after == len(data) or data[after] in TOKEN_AFTER):
            yield at
        at = data.find(word, after)


def _untagged_stretches(data: bytes) -> list[tuple[int, int]] | None:
    """The stretches of a page's content that lie outside all marked content, as byte ranges: each runs from the
    end of an ``EMC`` back at depth 0 (or the stream's start) to the end of the next ``BDC``/``BMC`` (so its
    operands are inside it), the last to the stream's end. None where an operator could hide in a literal string
    the scan cannot close, a comment, an inline image or a hex string with spaces: there the page is parsed whole.
    Why not pikepdf alone: qpdf's parser reads a report's ~1 MB of operators at ~20 MB/s (half the repairs' time),
    and 98% of it is inside tags, where all that matters is where each sequence begins and ends."""
    strings, at = [], data.find(b"(")
    while at >= 0:
        found = LITERAL_STRING.match(data, at)
        if found is None:
            return None  # nested deeper than the pattern follows
        strings.append(found.span())
        at = data.find(b"(", found.end())
    if any(not _inside(hit.start(), strings) for hit in UNSURE.finditer(data)):
        return None
    marks = sorted((at, word) for word in MARKS for at in _tokens(data, word) if not _inside(at, strings))
    stretches, depth, begin = [], 0, 0
    for at, word in marks:
        if word == b"EMC":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                begin = at + 3
        else:
            if depth == 0:
                stretches.append((begin, at + 3))
            depth += 1
    if depth:
        return None
    stretches.append((begin, len(data)))
    return stretches


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``position`` is inside one of ``spans`` (sorted, not overlapping)."""
    i = bisect.bisect_right(spans, (position, position)) - 1
    return i >= 0 and spans[i][0] < position < spans[i][1]


def fix_untagged_content(pdf: pikepdf.Pdf, tags: Tags, scan: bool = True) -> None:
    """CONTENT-TAGGING (Matterhorn 01): what Chromium paints outside every tag (the page background, borders and
    rules drawn by CSS, the "Page N of M" footer) is marked as an artifact, so readers skip it and every mark on
    the page is either content or furniture. The drawing itself is unchanged: only marked-content operators are
    added around existing ones. Only the stretches outside tags are parsed (:func:`_untagged_stretches`; ``scan``
    False parses every page whole, as a test compares). The page's stream is written compressed at zlib's fastest
    level: a report's pages are ~1 MB of operators, which the default level takes four times as long to pack."""
    scratch = pdf.make_stream(b"")
    for page in pdf.pages:
        contents = page.obj.Contents
        data = b"\n".join(c.read_bytes() for c in contents) if isinstance(contents, pikepdf.Array) else \
            contents.read_bytes()
        stretches = _untagged_stretches(data) if scan else None
        if stretches is None:
            instructions = pikepdf.parse_content_stream(page)
            spans = _artifact_spans([str(ins.operator) for ins in instructions])
            out = _with_artifacts(instructions, spans) if spans else None
        else:
            parts, done = [], 0
            for start, end in stretches:
                if not PAINTS.search(data, start, end):
                    continue
                scratch.write(data[start:end])
                instructions = pikepdf.parse_content_stream(scratch)
                spans = _artifact_spans([str(ins.operator) for ins in instructions])
                if spans:
                    parts += (data[done:start], b"\n", _with_artifacts(instructions, spans), b"\n")
                    done = end
            out = b"".join([*parts, data[done:]]) if parts else None
        if out is not None:
            stream = pdf.make_stream(b"")
            stream.write(zlib.compress(out, 1), filter=pikepdf.Name.FlateDecode)
            page.obj.Contents = stream


def _named_destination(pdf: pikepdf.Pdf, name) -> pikepdf.Object | None:
    """A named destination (``#id`` links: Chromium writes the name, and the place in ``/Dests`` or ``/Names``)."""
    dests = pdf.Root.get("/Dests")
    if isinstance(name, pikepdf.Name) and isinstance(dests, pikepdf.Dictionary):
        found = dests.get(name)
    elif "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        found = pikepdf.NameTree(pdf.Root.Names.Dests).get(str(name))
    else:
        found = None
    return found.get("/D") if isinstance(found, pikepdf.Dictionary) else found


def _link_description(pdf: pikepdf.Pdf, annot: pikepdf.Dictionary, page_numbers: dict) -> str | None:
    action = annot.get("/A")
    if isinstance(action, pikepdf.Dictionary) and "/URI" in action:
        return str(action.URI)
    dest = annot.get("/Dest")
    if dest is None and isinstance(action, pikepdf.Dictionary):
        dest = action.get("/D")
    if isinstance(dest, pikepdf.Name | pikepdf.String):
        dest = _named_destination(pdf, dest)
    if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
        number = page_numbers.get(dest[0].objgen)
        if number:
            return f"Go to page {number}"
    return None


def fix_link_descriptions(pdf: pikepdf.Pdf, tags: Tags) -> None:
    """LINK-CONTENTS (Matterhorn 28): each link annotation says where it goes in ``/Contents`` (its address, or the
    page it jumps to), which Chromium leaves out."""
    page_numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, 1)}
    for page in pdf.pages:
        for annot in page.obj.get("/Annots") or []:
            if annot.get("/Subtype") == pikepdf.Name.Link and not str(annot.get("/Contents", "")).strip():
                described = _link_description(pdf, annot, page_numbers)
                if described:
                    annot.Contents = pikepdf.String(described)


def fix_metadata(pdf: pikepdf.Pdf, tags: Tags) -> None:
    """METADATA (Matterhorn 06): an XMP metadata stream holding ``dc:title`` (PDF/UA reads the title there, not in
    the Info dictionary) and the other Info entries Chromium wrote (producer, dates)."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta.load_from_docinfo(pdf.docinfo)
        lang = pdf.Root.get("/Lang")
        if lang is not None and str(lang):
            meta["dc:language"] = [str(lang)]


FIXES: dict[str, Callable[[pikepdf.Pdf, Tags], None]] = {
    "lists": fix_lists,
    "role-map": fix_role_map,
    "table-headers": fix_table_headers,
    "figure-groups": fix_figure_groups,
    "repeated-headers": fix_repeated_headers,
    "untagged-content": fix_untagged_content,
    "link-descriptions": fix_link_descriptions,
    "metadata": fix_metadata,
}


def _missing_for_ua(pdf: pikepdf.Pdf) -> list[str]:
    """What PDF/UA needs that no repair here can add: it comes from the HTML (a title, a language) or from
    printing with tags."""
    missing = []
    if not pdf.Root.get("/MarkInfo", {}).get("/Marked", False):
        missing.append("not marked as tagged")
    if not str(pdf.Root.get("/Lang", "")).strip():
        missing.append("no /Lang (the page's <html lang>)")
    if not str(pdf.docinfo.get("/Title", "")).strip():
        missing.append("no title (the page's <title>)")
    return missing


def declare_pdfua(pdf: pikepdf.Pdf) -> None:
    """ID-PART, ID-SCHEMA: ``pdfuaid:part`` 1 in the XMP metadata (pikepdf writes the namespace PDF/UA defines)."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfuaid:part"] = "1"


def make_pdfua(data: bytes, source: str, skip: Iterable[str] = (), declare: bool = True) -> bytes:
    """Chromium's tagged PDF (``data``, to be written as ``source``) in, the repaired PDF out.

    Every repair in :data:`FIXES` runs except those named in ``skip`` (for tests that show a rule failing without
    its repair). PDF/UA-1 is declared only when ``declare`` holds (the caller made its own repairs), none was
    skipped, and the file has tags, a language and a title.
    A file pikepdf cannot read, or one with no structure tree, is a one-line :class:`BuildError` naming ``source``.
    """
    skip = set(skip)
    unknown = skip - set(FIXES)
    if unknown:
        raise ValueError(f"unknown PDF/UA repair(s): {', '.join(sorted(unknown))}; known: {', '.join(FIXES)}")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as err:
        raise BuildError(f"{source}: the printed PDF cannot be read ({str(err).splitlines()[0][:200]})") from None
    with pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None or "/ParentTree" not in root:
            raise BuildError(f"{source}: the printed PDF has no structure tree (printed without tags?); "
                             "it cannot be made accessible")
        try:
            tags = Tags(pdf)
            for name, fix in FIXES.items():
                if name not in skip:
                    fix(pdf, tags)
        except (pikepdf.PdfError, KeyError, TypeError, ValueError, AttributeError) as err:
            raise BuildError(f"{source}: the printed PDF's tags cannot be repaired ({type(err).__name__}: "
                             f"{str(err).splitlines()[0][:200] if str(err) else 'no message'})") from None
        if declare and not skip and not _missing_for_ua(pdf):
            declare_pdfua(pdf)
        out = io.BytesIO()
        pdf.save(out, min_version="1.7")
    return out.getvalue()
