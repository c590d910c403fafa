"""Chromium's tagged PDF -> a PDF/UA-1 PDF: what Chromium's tags lack, added with pikepdf after it prints.

In: the bytes Chromium printed with ``tagged=True`` and ``outline=True`` (a structure tree, ``/Lang``, the page's
title, bookmarks) and the name of the file they come from (for errors). Out: the same pages, byte for byte the
same drawing, with the repairs in :data:`FIXES` applied and, only when every one of them ran and the file has
what PDF/UA cannot do without (tags, a language, a title), ``pdfuaid:part`` 1 declared in its XMP metadata.

Each repair is one function over an open :class:`pikepdf.Pdf`, registered in :data:`FIXES` under the name of
the rule family it answers; a caller (a test) may switch one off to see its rule fail. None of them knows what a
report says: they hold for any HTML Chromium prints. Two repairs need the page itself and are made before
Chromium prints (``render/pdf.py``): empty table cells (Chromium leaves a cell that paints nothing out of the
tags, so rows would hold different numbers of cells) and bare URLs (made links, so the PDF has link annotations).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterable, Iterator

import pikepdf

from analysis.errors import BuildError

# ISO 32000-1 (PDF 1.7) section 14.8.4: the standard structure types. PDF/UA-1 is built on PDF 1.7; any other type
# must be role-mapped to one of these.
STANDARD_TYPES = frozenset((
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct", "Private",
    "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead",
    "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
))
# PDF 2.0's types, which Chromium writes for some HTML elements (<strong> -> Strong), mapped to their PDF 1.7
# equivalents (the PDF 2.0 standard's own Annex L mapping). Any other unknown type becomes NonStruct: a grouping
# that says nothing, which is true of a type we do not know.
ROLE_MAP = {"Strong": "Span", "Em": "Span", "Sub": "Span", "Title": "P", "FENote": "Note", "Aside": "Div",
            "DocumentFragment": "Div", "Artifact": "NonStruct"}
FALLBACK_ROLE = "NonStruct"

# Content-stream operators (ISO 32000-1, tables 51, 59, 107) by what they do to marked content and painting. A path
# is begun by m or re and ended by a painting operator or by n, which paints nothing (a clip).
OPERATOR_KINDS = {
    "BDC": "begin", "BMC": "begin", "EMC": "end", "m": "path", "re": "path", "n": "end-path",
    **dict.fromkeys(("S", "s", "f", "F", "f*", "B", "B*", "b", "b*"), "paint-path"),
    **dict.fromkeys(("Tj", "TJ", "'", '"', "Do", "sh", "INLINE IMAGE"), "paint"),
}
ROW_GROUPS = frozenset({"THead", "TBody", "TFoot"})

ARTIFACT_BEGIN, ARTIFACT_END = b"\n/Artifact BMC\n", b"\nEMC\n"


# --- the structure tree, read and rewired -------------------------------------------------------------------------

def _kids(elem: pikepdf.Dictionary) -> list:
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _is_elem(obj) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def _type(elem: pikepdf.Dictionary) -> str:
    return str(elem.S)[1:]


class Tags:
    """The structure tree of one PDF as the repairs need it: every element once, in document order, with its type
    (its page, :meth:`page_of`, only where needed); and the ``/ParentTree`` (which element owns each marked-content
    id and annotation), kept right when a repair gives content a new parent, so a reader going from the page to
    its tags finds the new one. Read once and shared: the repairs add elements only of standard types and never
    move an element another repair looks for."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        self.elements: list[tuple[pikepdf.Dictionary, str]] = []
        stack = [self.root.get("/K")]
        while stack:  # kept lean: a report has ~1,500 elements, and this is the repairs' one walk over them
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(reversed(list(node)))
            elif isinstance(node, pikepdf.Dictionary):
                kind = node.get("/S")
                if kind is None:
                    continue  # a marked-content or object reference
                self.elements.append((node, str(kind)[1:]))
                kids = node.get("/K")
                if kids is not None:
                    stack.append(kids)
        self._parent_tree = None

    def of_type(self, kind: str) -> list[pikepdf.Dictionary]:
        return [elem for elem, t in self.elements if t == kind]

    @staticmethod
    def page_of(elem: pikepdf.Dictionary) -> pikepdf.Object | None:
        """The page an element's marked content is on: its ``/Pg``, else its nearest ancestor's."""
        while isinstance(elem, pikepdf.Dictionary) and "/S" in elem:
            if "/Pg" in elem:
                return elem.Pg
            elem = elem.get("/P")
        return None

    def new_elem(self, kind: str, parent: pikepdf.Dictionary, page) -> pikepdf.Dictionary:
        elem = pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + kind), P=parent)
        if page is not None:
            elem.Pg = page
        return self.pdf.make_indirect(elem)

    def reparent(self, kid, new_parent: pikepdf.Dictionary) -> None:
        """Record ``new_parent`` as the owner of ``kid``: an element, an MCID (on ``new_parent``'s page), or a
        marked-content or object reference."""
        if _is_elem(kid):
            kid.P = new_parent
            return
        if self._parent_tree is None:
            self._parent_tree = pikepdf.NumberTree(self.root.ParentTree)
        if isinstance(kid, int):
            self._parent_tree[int(self.page_of(new_parent).StructParents)][int(kid)] = new_parent
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.OBJR:
            self._parent_tree[int(kid.Obj.StructParent)] = new_parent
        elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:  # an MCR: in a page or a form's stream
            owner = kid.get("/Stm") or kid.get("/Pg") or self.page_of(new_parent)
            self._parent_tree[int(owner.StructParents)][int(kid.MCID)] = new_parent


# --- the repairs ----------------------------------------------------------------------------------------------------

def fix_lists(pdf: pikepdf.Pdf, tags: Tags) -> None:
    """LI-KIDS (Matterhorn 16): an ``LI`` holds only ``Lbl`` (the bullet or number) and ``LBody`` (the rest).
    Chromium tags the bullet ``Lbl`` and puts the item's text, inline elements and nested lists straight into the
    ``LI``: they are moved, in order, into one new ``LBody`` after the label."""
    for li in tags.of_type("LI"):
        kids = _kids(li)
        parts = [k for k in kids if _is_elem(k) and _type(k) in ("Lbl", "LBody")]
        body = [k for k in kids if not (_is_elem(k) and _type(k) in ("Lbl", "LBody"))]
        if not body:
            continue
        page = li.get("/Pg")
        lbody = tags.new_elem("LBody", li, page)
        for kid in body:
            tags.reparent(kid, lbody)
        lbody.K = pikepdf.Array(body)
        labels = [k for k in parts if _type(k) == "Lbl"]
        li.K = pikepdf.Array([*labels, lbody, *(k for k in parts if _type(k) == "LBody")])


def fix_role_map(pdf: pikepdf.Pdf, tags: Tags) -> None:
    """STRUCT-TREE-ROLE-MAP (Matterhorn 02): every structure type that is not one of PDF 1.7's is role-mapped to
    one that is (``Strong`` -> ``Span``); standard types are never remapped."""
    used = {kind for _, kind in tags.elements}
    role_map = tags.root.get("/RoleMap") or pikepdf.Dictionary()
    for kind in sorted(used - STANDARD_TYPES):
        if "/" + kind not in role_map:
            role_map["/" + kind] = pikepdf.Name("/" + ROLE_MAP.get(kind, FALLBACK_ROLE))
    if len(role_map):
        tags.root.RoleMap = role_map


def _table_attrs(elem: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """The element's attribute dictionaries owned by ``/Table`` (``/A`` is one dictionary or an array of them,
    possibly with revision numbers between)."""
    attrs = elem.get("/A")
    return [d for d in (attrs if isinstance(attrs, pikepdf.Array) else [attrs])
            if isinstance(d, pikepdf.Dictionary) and d.get("/O") == pikepdf.Name.Table]


def fix_figure_groups(pdf: pikepdf.Pdf, tags: Tags) -> None:
    """FIGURE-ALTERNATIVE-TEXT (Matterhorn 13): HTML's ``<figure>`` around a chart or image and its ``<figcaption>``
    comes out as a ``Figure`` holding the picture's own ``Figure`` (with its ``/Alt``) and a ``Caption``. The outer
    one is a grouping, not a picture: without an ``/Alt`` of its own it becomes a ``Div``, so the picture keeps
    its text alternative and the caption is read, instead of an outer ``/Alt`` hiding both."""
    for figure in tags.of_type("Figure"):
        if "/Alt" in figure or "/ActualText" in figure:
            continue
        if any(_is_elem(k) for k in _kids(figure)):
            figure.S = pikepdf.Name.Div


def _rows(table: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    for kid in _kids(table):
        if _is_elem(kid) and _type(kid) == "TR":
            yield kid
        elif _is_elem(kid) and _type(kid) in ROW_GROUPS:
            yield from _rows(kid)


def fix_table_headers(pdf: pikepdf.Pdf, tags: Tags) -> None:
    """Tables that hold more header cells than data cells (a column of row headers beside one column of data, under
    a header row): screen-reader users meet more headers than answers, which outloud reports as "shredded"
    headers (TBL-010). There the row headers become data cells, so each answer keeps its column's header and
    stays in its row; the header row is left as it is. Tables with at least as many data cells are untouched."""
    for table in tags.of_type("Table"):
        rows = [[c for c in _kids(tr) if _is_elem(c) and _type(c) in ("TH", "TD")] for tr in _rows(table)]
        cells = [c for row in rows for c in row]
        n_th = sum(1 for c in cells if _type(c) == "TH")
        if n_th <= len(cells) - n_th or n_th == len(cells):
            continue
        demoted = set()
        for row in rows:
            if all(_type(c) == "TH" for c in row):
                continue  # a header row
            for cell in row:  # a header cell in a row of data is a row header, with or without its /Scope
                if _type(cell) == "TH":
                    cell.S = pikepdf.Name.TD
                    for d in _table_attrs(cell):
                        if "/Scope" in d:
                            del d["/Scope"]
                    if "/ID" in cell:
                        demoted.add(bytes(cell.ID))
        for cell in cells if demoted else ():
            for d in _table_attrs(cell):
                headers = d.get("/Headers")
                if isinstance(headers, pikepdf.Array):
                    kept = [h for h in headers if bytes(h) not in demoted]
                    if not kept:
                        del d["/Headers"]
                    elif len(kept) != len(headers):
                        d.Headers = pikepdf.Array(kept)


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


def fix_untagged_content(pdf: pikepdf.Pdf, tags: Tags) -> None:
    """CONTENT-TAGGING (Matterhorn 01): what Chromium paints outside every tag (the page background, borders and
    rules drawn by CSS, the "Page N of M" footer) is marked as an artifact, so readers skip it and every mark on
    the page is either content or furniture. The drawing itself is unchanged: only marked-content operators are
    added around existing ones. The page's stream is written compressed at zlib's fastest level: a report's
    pages are ~1 MB of operators, which the default level takes four times as long to pack for a fifth less."""
    for page in pdf.pages:
        instructions = pikepdf.parse_content_stream(page)
        spans = _artifact_spans([str(ins.operator) for ins in instructions])
        if not spans:
            continue
        parts, done = [], 0
        for start, end in spans:
            parts += (pikepdf.unparse_content_stream(instructions[done:start]), ARTIFACT_BEGIN,
                      pikepdf.unparse_content_stream(instructions[start:end]), ARTIFACT_END)
            done = end
        parts.append(pikepdf.unparse_content_stream(instructions[done:]))
        stream = pdf.make_stream(b"")
        stream.write(zlib.compress(b"".join(parts), 1), filter=pikepdf.Name.FlateDecode)
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
