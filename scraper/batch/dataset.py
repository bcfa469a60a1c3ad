"""The batch dataset on disk: its folders, its Parquet schema, atomic writes and markers.

    OUT/parts/NAME.parquet     one per input file, written by task.py (duplicate_of empty)
    OUT/done/NAME.json         its success (or failure) marker with the file's counts
    OUT/dedup/RUN/...          the dedup stages' outputs and markers (dedup.py)
    OUT/dataset/NAME.parquet   the parts with duplicate_of set: the result

Resume is by files, never by engine state: a file is written under a temporary name,
renamed into place, and only then is its marker written, so a marker always names a whole
file. NAME is the input's base name plus a hash of its full path or URL, so two inputs with
the same base name never share a part, and the name does not depend on the input order.

Schema: the record's keys with lists as Arrow lists (author_bios a list of structs,
provenance a map), so DuckDB, pandas and Spark read them natively; then fetched_at, the
story key (normalised canonical URL, the store's articles.canonical_url), simhash (signed
int64 as in the store, null for bodies too short to match), the HTTP status and content
type, the provenance in the WARC (file, offset, record id) and duplicate_of (the survivor's
story key, null for a survivor).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from scraper.article import RECORD_KEYS

PARTS, DONE, DEDUP, DATASET = "parts", "done", "dedup", "dataset"
_TEXT = pa.string()
_LIST = pa.list_(pa.string())
_BIO = pa.struct([(k, pa.string()) for k in ("name", "role", "bio", "url")])
_TYPES: dict[str, pa.DataType] = {
    "authors": _LIST,
    "paragraphs": _LIST,
    "tags": _LIST,
    "author_bios": pa.list_(_BIO),
    "provenance": pa.map_(pa.string(), pa.string()),
    "word_count": pa.int64(),
}
EXTRA_FIELDS: tuple[tuple[str, pa.DataType], ...] = (
    ("fetched_at", _TEXT),
    ("key", _TEXT),
    ("simhash", pa.int64()),
    ("http_status", pa.int32()),
    ("content_type", _TEXT),
    ("warc_file", _TEXT),
    ("warc_offset", pa.int64()),
    ("warc_record_id", _TEXT),
    ("duplicate_of", _TEXT),
)
SCHEMA = pa.schema(
    [(k, _TYPES.get(k, _TEXT)) for k in RECORD_KEYS] + [(k, t) for k, t in EXTRA_FIELDS]
)
# What the dedup stage reads of each part (column projection: not the text).
SIGNATURE_COLUMNS = ("key", "url", "fetched_at", "content_hash", "simhash")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SUFFIXES = (".gz", ".warc", ".arc", ".wat", ".wet")


def part_name(source: str) -> str:
    """A file name for the part of one input: readable base name plus a hash of the source
    (a local path made absolute first, so a rerun from another folder finds its markers)."""
    if "://" not in source:
        source = os.path.abspath(source)
    base = source.rstrip("/").rsplit("/", 1)[-1] or "input"
    changed = True
    while changed:  # x.warc.gz -> x
        changed = False
        for suffix in _SUFFIXES:
            if base.lower().endswith(suffix) and len(base) > len(suffix):
                base, changed = base[: -len(suffix)], True
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:10]
    return f"{_UNSAFE.sub('_', base)[:80]}-{digest}"


def to_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record (plus the extra fields) as the schema's Python values."""
    row = {name: record.get(name) for name in SCHEMA.names}
    provenance = row["provenance"]
    row["provenance"] = list(provenance.items()) if isinstance(provenance, Mapping) else None
    return row


def from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A Parquet row back to a record dict (map columns come back as (key, value) pairs)."""
    out = dict(row)
    out["provenance"] = dict(row.get("provenance") or [])
    for key in ("authors", "paragraphs", "tags", "author_bios"):
        out[key] = list(row.get(key) or [])
    return out


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write a Parquet file under a temporary name and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def write_marker(path: Path, content: Mapping[str, Any]) -> None:
    """A JSON marker, also written then renamed: a marker is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(content, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def read_marker(path: Path) -> dict[str, Any] | None:
    """A marker's content, or None when absent or unreadable (then the work is redone)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def part_files(directory: Path) -> list[Path]:
    """The Parquet files of a folder, sorted by name (temporary files left out)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.parquet") if not p.name.startswith("."))


def dataset_files(path: Path) -> list[Path]:
    """The result files of a batch output folder, or the Parquet files of any folder."""
    if (path / DATASET).is_dir():
        return part_files(path / DATASET)
    return part_files(path)


def iter_rows(path: Path, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """A Parquet file's rows, batch by batch (never the whole file as Python objects)."""
    with pq.ParquetFile(path) as f:
        for batch in f.iter_batches(batch_size=2048, columns=columns):
            yield from batch.to_pylist()
