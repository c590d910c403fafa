"""The processed tables' spec (tables/schema.py): the real build matches it, the build refuses a table that does
not, and docs/data.md's column dictionary is generated from it and up to date."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.tables import datadoc, schema, store


def read_back_dtype(column: schema.Column) -> str:
    """The dtype ``pd.read_parquet`` gives a column built with the declared one (schema's module doc)."""
    return "str" if column.dtype == "object" else column.dtype


def test_manifest_records_the_declared_tables_columns_and_dtypes(real):
    """manifest.json records each table's columns and dtypes as built: exactly the spec's."""
    tables = json.loads((real.processed / "manifest.json").read_text(encoding="utf-8"))["tables"]
    assert set(schema.TABLES) == set(tables)
    for name, spec in schema.TABLES.items():
        assert tables[name]["columns"] == {c.name: c.dtype for c in spec.columns}, name
        assert spec.may_be_empty or tables[name]["rows"] > 0, name


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_real_table_as_read_back_matches_its_spec(real, name):
    spec = schema.TABLES[name]
    df = store.table(name, real)
    assert [(c, str(t)) for c, t in df.dtypes.items()] == [(c.name, read_back_dtype(c)) for c in spec.columns]
    assert not df.duplicated(list(spec.key)).any()
    assert all(c.unit and c.meaning for c in spec.columns)


# --------------------------------------------------------------------------------------------------
# A table that is not as declared is refused before it is saved, naming the table (and the column)
# --------------------------------------------------------------------------------------------------


def edited(real, name: str, edit) -> tuple[str, pd.DataFrame]:
    return name, edit(store.table(name, real).copy())


CASES = {
    "a column missing": (lambda r: edited(r, "careers", lambda d: d.drop(columns=["source_note"])),
                         "data/processed/careers.parquet: lacks column(s) source_note (see analysis/tables/schema.py)"),
    "an undeclared column": (lambda r: edited(r, "vintages", lambda d: d.assign(employment_thousands=1.0)),
                             "data/processed/vintages.parquet: has undeclared column(s) employment_thousands (see "
                             "analysis/tables/schema.py)"),
    "columns out of order": (lambda r: edited(r, "onet_job_zones", lambda d: d[list(d.columns[::-1])]),
                             "data/processed/onet_job_zones.parquet: columns are out of the declared order (see "
                             "analysis/tables/schema.py)"),
    "a dtype not the declared one": (lambda r: edited(r, "wages", lambda d: d.astype({"employment_people": "float64"})),
                                     "data/processed/wages.parquet (employment_people): dtype float64, declared Int64"),
    "a key twice where no check held it before": (
        lambda r: edited(r, "onet_titles", lambda d: pd.concat([d, d.iloc[[0]]], ignore_index=True)),
        "data/processed/onet_titles.parquet: duplicate key ['11-1011', 1]"),
    "an empty table that must have rows": (lambda r: edited(r, "sources", lambda d: d.iloc[0:0]),
                                           "data/processed/sources.parquet: no rows to save; the build always fills "
                                           "this table from data/raw, so an input was read wrong"),
    "an undeclared table": (lambda r: ("scratch", pd.DataFrame({"a": [1]})),
                            "data/processed/scratch.parquet: is not declared in analysis/tables/schema.py"),
}


@pytest.mark.parametrize("case", CASES)
def test_table_not_as_declared_is_refused(real, case):
    make, expected = CASES[case]
    name, df = make(real)
    with pytest.raises(DataError) as caught:
        schema.check(name, df)
    assert str(caught.value) == expected


def test_columns_with_no_values_pass_whatever_their_dtype(real):
    """An empty table (no curated files: every column object) or an all-null column has no dtype to hold it to."""
    schema.check("careers", pd.DataFrame(columns=[c.name for c in schema.TABLES["careers"].columns]))
    notes = store.table("careers", real).assign(source_note=None)
    assert notes["source_note"].dtype == object
    schema.check("careers", notes)


# --------------------------------------------------------------------------------------------------
# docs/data.md
# --------------------------------------------------------------------------------------------------


def test_data_md_is_generated_from_the_spec(real):
    path = real.root / "docs" / "data.md"
    text = path.read_text(encoding="utf-8")
    assert datadoc.render(text, path) == text, f"docs/data.md is out of date: run `{datadoc.COMMAND}`"
    for name, spec in schema.TABLES.items():
        assert f"\n## {name}\n" in text
        assert f"| `{spec.columns[-1].name}` | {spec.columns[-1].dtype} |" in text


def test_data_md_names_a_table_without_its_part(real):
    path = real.root / "docs" / "data.md"
    text = path.read_text(encoding="utf-8")
    marker = datadoc.BEGIN.format(command=datadoc.COMMAND, part="table sources")
    broken = text.replace(marker, "")
    assert broken != text
    with pytest.raises(DataError) as caught:
        datadoc.render(broken, path)
    assert str(caught.value).startswith(f"{path}: no generated part 'table sources'; add the lines {marker} and")
