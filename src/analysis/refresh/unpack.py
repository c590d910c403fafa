"""What a download is: an HTML page instead of data, a zip of data files (BLS's OEWS downloads: one for the
nation, MSA and nonmetropolitan files, one file per industry level), or several OEWS files of one year and kind
to be combined into the one file of that kind and year the data layer keeps; and
whether it unpacks to more than the ``max_unpacked_bytes`` setting (a zip or gzip bomb), checked before
anything is extracted or read. The readers in ``analysis.ingest`` keep their own, fixed limit as well.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from pathlib import Path

import pandas as pd

from analysis.errors import ContentError, DataError
from analysis.ingest.oews.fields import YEAR_IN_NAME, norm_header
from analysis.ingest.oews.load import load as load_rows
from analysis.ingest.sniff import TooBig, copy_capped, head, kind, too_big, zip_problem
from analysis.refresh.http import file_name


def looks_like_html(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml", b"<"))


LIMIT = "the $max_unpacked_bytes"


def check_unpacked(url: str, path: Path, limit: int) -> None:
    """ContentError naming ``url`` if the zip (or .xlsx) or gzip file at ``path`` unpacks to more than
    ``limit`` bytes: a zip by the sizes its members declare, a gzip by decompressing it without keeping
    anything. Other files, and damaged ones (the readers word that), pass."""
    what = kind(head(path))
    if what == "zip":
        problem = zip_problem(path, limit, LIMIT)
        if problem:
            raise ContentError(f"{url}: {problem}")
    elif what == "gzip":
        try:
            with gzip.open(path, "rb") as f:
                copy_capped(f, limit)
        except TooBig:
            raise ContentError(f"{url}: {too_big(limit, whose=LIMIT)}") from None
        except (EOFError, OSError, zlib.error):
            pass


def unpack(url: str, path: Path, limit: int) -> list[Path]:
    """A plain zip download (not an .xlsx, which is a zip too) -> its data files, extracted beside it: the
    .xlsx/.csv members (not BLS's field descriptions), those named with ``M<year>`` where some are. Any other
    download is its own one file. Neither the download nor what comes out of it may unpack to more than
    ``limit`` bytes."""
    check_unpacked(url, path, limit)
    if not zipfile.is_zipfile(path):
        return [path]
    with zipfile.ZipFile(path) as zf:
        names = [i for i in zf.infolist() if not i.is_dir()]
        if any(i.filename == "[Content_Types].xml" for i in names):
            return [path]  # an Office Open XML workbook
        data = [i for i in names if i.filename.lower().endswith((".xlsx", ".csv", ".csv.gz"))
                and "field_desc" not in i.filename.lower()]
        dated = [i for i in data if YEAR_IN_NAME.search(Path(i.filename).name)]
        picks = dated or data
        if not picks:
            listed = ", ".join(i.filename for i in names[:6]) or "nothing"
            raise ContentError(f"{url}: zip holds 0 data files (.xlsx/.csv) where at least one was expected: "
                               f"{listed}")
        if len({file_name(i.filename) for i in picks}) != len(picks):
            raise ContentError(f"{url}: zip holds two data files of the same name in different folders")
        out = []
        for member in picks:
            dest = path.parent / "unzipped" / file_name(member.filename)
            dest.parent.mkdir(exist_ok=True)
            try:
                # The declared sizes were checked above, and zipfile stops a member at its declared size; the cap
                # on the copy holds even so.
                with zf.open(member) as src, open(dest, "wb") as f:
                    copy_capped(src, limit, f.write)
            except TooBig:
                raise ContentError(f"{url}: zip member {member.filename} unpacks to more than {LIMIT} limit of "
                                   f"{limit:,} bytes (a zip bomb?)") from None
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError) as exc:
                # RuntimeError, NotImplementedError: encrypted or of an unknown method (zip_problem says so first)
                raise ContentError(f"{url}: zip member {member.filename} cannot be extracted ({exc})") from None
            check_unpacked(url, dest, limit)  # a member may be a workbook or a .csv.gz: a zip or gzip in its turn
            out.append(dest)
    return out


def combine_oews(files: list[tuple[str, Path]], year: int, kind: str, folder: Path) -> Path:
    """Several OEWS files of one year and kind -> one CSV.gz in the download layout, named after the kind
    (``oews_national_state_M2025.csv.gz``, ``oews_metro_…``, ``oews_national_industry_…``).

    The data layer keeps one OEWS file per year and kind; BLS publishes the nation and the states, the MSAs and
    the nonmetropolitan areas, and the industry levels as separate files with the same columns, so their rows
    are concatenated unchanged (text as read).
    """
    frames, cols = [], None
    for url, path in files:
        try:
            df, _ = load_rows(path)
        except DataError as err:
            raise content_error(url, err, path) from None
        names = [norm_header(c) for c in df.columns]
        if cols is not None and names != cols:
            raise ContentError(f"{url}: its columns differ from {files[0][0]}'s; cannot combine the OEWS downloads")
        cols = names
        frames.append(df.set_axis(names, axis=1))
    out = folder / f"oews_{kind.replace('-', '_').replace('+', '_and_')}_M{year}.csv.gz"
    out.parent.mkdir(parents=True, exist_ok=True)
    data = pd.concat(frames, ignore_index=True).to_csv(index=False, lineterminator="\n").encode("utf-8")
    out.write_bytes(gzip.compress(data, mtime=0))
    return out


def content_error(url: str, err: DataError, tmp: Path) -> ContentError:
    if Path(err.path) == tmp or Path(err.path).parent == tmp.parent:
        where = f" ({err.where})" if err.where else ""
        return ContentError(f"{url}: {err.problem}{where}")
    return ContentError(f"{url}: {err}")
