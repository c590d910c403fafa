"""The declared shapes of our hand-kept YAML (curated.SCHEMA, sidecars.SCHEMA, checked by ingest/shapes.py): what
they declare beyond the checks tests/ingest/test_curated.py and test_sidecars.py hold, each as a small edit of a
REAL file, and that checking a file does not cost the CLI's start-up an import of jsonschema."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.errors import DataError
from analysis.ingest import curated, shapes, sidecars
from analysis.paths import Paths

CURATED = "29-2072.yml"
EP = Path("bls-ep/2024-34/occupation.xlsx")


def test_curated_schema_is_valid_json_schema():
    shapes.validator(curated.SCHEMA).check_schema(curated.SCHEMA)


def test_real_files_have_their_shapes(real: Paths):
    for f in real.curated.glob("*.yml"):
        assert not list(shapes.validator(curated.SCHEMA).iter_errors(curated.load_yaml(f)))
    snaps = sidecars.raw_snapshots(real.raw, verify=False)
    assert len(snaps) == 31
    assert {m["dataset"] for m in snaps} == set(sidecars.FOLDER_KEYS)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("title: Medical records specialists", "title: 2072", " (title): the occupation's title must be non-empty text"),
    ("title: Medical records specialists", "title: [a, b]", " (title): the occupation's title must be non-empty text"),
    ("soc_code: \"29-2072\"\n", "", " (soc_code): soc_code '' is not of the form NN-NNNN"),
    ("  - name: Medical biller\n", "  - name: \" \"\n", " (roles[1]): 'name' is required (text)"),
], ids=["title a number", "title a list", "soc_code missing", "a blank heading"])
def test_curated_file_departing_from_its_schema(real: Paths, tmp_path, old, new, expected):
    f = tmp_path / CURATED
    text = (real.curated / CURATED).read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        curated.read_curated_file(f)
    assert str(caught.value) == f"{f}{expected}"


@pytest.fixture
def raw_copy(real: Paths, tmp_path) -> Path:
    """One real raw file and its sidecar, in a raw folder of their own."""
    raw = tmp_path / "raw"
    for f in (real.raw / EP, sidecars.sidecar_path(real.raw / EP)):
        dest = raw / f.relative_to(real.raw)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
    return raw


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("license: Public domain (U.S. Government work)", "license: 5", " (license): must be text"),
    ("producer: U.S. Bureau of Labor Statistics", "producer: [BLS]\nx: U.S. Bureau of Labor Statistics",
     " (producer): must be text"),
    ("retrieved_on: '2026-11-26'", "retrieved_on: [2026]", " (retrieved_on): must be a date (YYYY-MM-DD)"),
    ("bytes: ", "bytes: -", " (bytes): must be the file's size in bytes"),
    ("dataset: bls-ep", "dataset: 5", " (dataset): must be text"),
    ("sha256: ", "sha256: X", " (sha256): must be 64 lowercase hex digits"),
], ids=["license a number", "producer a list", "retrieved_on a list", "bytes negative", "dataset a number",
        "sha256 not hex"])
def test_sidecar_departing_from_its_schema(raw_copy: Path, old, new, expected):
    side = sidecars.sidecar_path(raw_copy / EP)
    text = side.read_text(encoding="utf-8")
    assert old in text
    side.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        sidecars.raw_snapshots(raw_copy, verify=False)
    assert str(caught.value) == f"{side}{expected}"


def test_sidecar_date_unquoted_and_keys_of_our_own_are_fine(raw_copy: Path):
    """YAML reads an unquoted date as a date; a sidecar is a record, so a note more is no error."""
    side = sidecars.sidecar_path(raw_copy / EP)
    text = side.read_text(encoding="utf-8")
    side.write_text(text.replace("retrieved_on: '2026-11-26'", "retrieved_on: 2026-11-26\nchecked_by: ana"),
                    encoding="utf-8")
    [meta] = sidecars.raw_snapshots(raw_copy)
    assert (str(meta["retrieved_on"]), meta["checked_by"]) == ("2026-11-26", "ana")


def test_reading_our_yaml_modules_does_not_import_jsonschema():
    """jsonschema is imported when a file is checked, not when the modules are: the CLI imports them at start-up."""
    code = ("import sys; import analysis.ingest.curated, analysis.ingest.sidecars, analysis.tables.dataset; "
            "print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "False\n"
