"""Chromium's structure tree -> PDF/UA-1's: the repairs ``render/pdfua.py`` makes to the tags, with pikepdf.

In: an open :class:`pikepdf.Pdf` as Chromium printed it, read once into :class:`Tags`. Out: the same tree, changed
in place where PDF/UA-1 (or a reader) needs it: list items with a body, non-standard types role-mapped, tables
whose header cells do not outnumber their data, ``<figure>`` groupings that are not pictures, header rows printed
again on a later page made page furniture. Each repair is one ``fix_*`` function, registered in
``render.pdfua.FIXES``; none knows what a report says.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

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
ROW_GROUPS = frozenset({"THead", "TBody", "TFoot"})


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


def _header_cells(table: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    """The cells of a table's header rows: its ``THead``'s rows, else its first rows that hold only ``TH``."""
    heads = [k for k in _kids(table) if _is_elem(k) and _type(k) == "THead"]
    for row in _rows(heads[0]) if heads else _rows(table):
        cells = [c for c in _kids(row) if _is_elem(c) and _type(c) in ("TH", "TD")]
        if not heads and not all(_type(c) == "TH" for c in cells):
            return
        yield from cells


def _marked_content(elem: pikepdf.Dictionary, page) -> Iterator[tuple[pikepdf.Dictionary, object, pikepdf.Object]]:
    """(element, kid, page) for each marked-content kid (an MCID or an MCR in a page) under ``elem``."""
    page = elem.get("/Pg", page)
    for kid in _kids(elem):
        if isinstance(kid, int):
            yield elem, kid, page
        elif _is_elem(kid):
            yield from _marked_content(kid, page)
        elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid and "/Stm" not in kid:
            yield elem, kid, kid.get("/Pg", page)


def fix_repeated_headers(pdf: pikepdf.Pdf, tags: Tags) -> None:
    """PAGINATION (Matterhorn 18): a table that runs over a page break has its header row printed again at the
    top of the next page, and Chromium adds each copy to the same header cell's content ("Occupation
    Occupation"). The copies are page furniture: a header cell keeps its content on its first page, the copies on
    later pages become ``/Artifact /Pagination`` and leave the tags and the parent tree."""
    copies: dict[tuple, set[int]] = {}  # page objgen -> MCIDs of header copies printed there
    tree = None
    for table in tags.of_type("Table"):
        for cell in _header_cells(table):
            refs = [r for r in _marked_content(cell, Tags.page_of(cell)) if r[2] is not None]
            if len({page.objgen for _, _, page in refs}) < 2:
                continue
            first = refs[0][2].objgen
            for elem, kid, page in refs:
                if page.objgen == first:
                    continue
                mcid = int(kid) if isinstance(kid, int) else int(kid.MCID)
                elem.K = pikepdf.Array([k for k in _kids(elem) if not (k == kid if isinstance(kid, int) else
                                                                       isinstance(k, pikepdf.Dictionary)
                                                                       and k.objgen == kid.objgen
                                                                       and k.get("/MCID") == kid.MCID)])
                copies.setdefault(page.objgen, set()).add(mcid)
                tree = tree or pikepdf.NumberTree(tags.root.ParentTree)
                tree[int(page.StructParents)][mcid] = pikepdf.Object.parse(b"null")
    for page in pdf.pages:
        mcids = copies.get(page.obj.objgen)
        if not mcids:
            continue
        instructions = pikepdf.parse_content_stream(page)
        for i, ins in enumerate(instructions):
            props = ins.operands[1] if str(ins.operator) == "BDC" and len(ins.operands) == 2 else None
            if isinstance(props, pikepdf.Dictionary) and props.get("/MCID") in mcids:
                instructions[i] = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)], ins.operator)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
