"""O*NET interest codes and fit computed straight from the raw Interests.txt (the standard library only): the
independent computation the interest-matching tests compare with. Only BLS codes that are an O*NET ``.00`` code
of their own are covered (aggregates follow a stated rule of their own, tested in tests/tables/test_profile.py)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

LETTERS = "RIASEC"
NAMES = ["Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional"]


def raw_profiles(raw: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """SOC code -> (interest code from the IH high points, letter -> OI score as published), for .00 codes."""
    head, *rows = [line.split("\t") for line in (raw / "onet" / "29.2" / "Interests.txt")
                   .read_text(encoding="utf-8").splitlines()]
    out: dict[str, tuple[list[str], dict[str, str]]] = {}
    for r in (dict(zip(head, row, strict=True)) for row in rows):
        code = r["O*NET-SOC Code"]
        if not code.endswith(".00"):
            continue
        highs, scores = out.setdefault(code[:7], ([""] * 3, {}))
        if r["Scale ID"] == "OI":
            scores[LETTERS[NAMES.index(r["Element Name"])]] = r["Data Value"]
        elif r["Scale ID"] == "IH":
            n = int(float(r["Data Value"]))
            rank = ["First Interest High-Point", "Second Interest High-Point", "Third Interest High-Point"]
            highs[rank.index(r["Element Name"])] = LETTERS[n - 1] if n else ""
    return {soc: ("".join(h), s) for soc, (h, s) in out.items() if "".join(h)}


def mean2(values) -> Decimal:
    values = [Decimal(v) for v in values]
    return (sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def expected_order(raw: Path, student: str, socs: set[str]) -> list[str]:
    """The SOC codes among ``socs`` that fit ``student``, in the documented order: tier, fit score, SOC code."""
    found = []
    for soc, (code, scores) in raw_profiles(raw).items():
        if soc not in socs:
            continue
        tier = 1 if code.startswith(student) else 2 if set(student) <= set(code) else \
            3 if code[0] == student[0] else None
        if tier:
            found.append((tier, -mean2(scores[x] for x in student), soc))
    return [soc for _, _, soc in sorted(found)]
