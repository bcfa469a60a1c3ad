"""Storage: the SQLite database that schema.sql defines. Other packages import from here.

database.py  Store: open, save a page, reextract, export, history, stats
writes.py    the SQL of one page's save: article, revisions, aliases, dedup bands
rows.py      a record and a fetch turned into rows (Prepared), and rows back into records
dedup.py     content hash and SimHash fingerprints, band keys for near-duplicates
export.py    reading out: records, search, stats, JSONL/CSV/Parquet/WARC writers
resolve.py   duplicates decided again in capture order after a batch import
"""

from scraper.store.database import SCHEMA_PATH, SaveOutcome, Store
from scraper.store.dedup import HAMMING_THRESHOLD, Simhash, band_keys
from scraper.store.export import dicts, history_diffs, write_csv, write_jsonl, write_parquet
from scraper.store.resolve import imported_capture, resolve_duplicates
from scraper.store.rows import Prepared, trust_canonical

__all__ = [
    "HAMMING_THRESHOLD",
    "SCHEMA_PATH",
    "Prepared",
    "SaveOutcome",
    "Simhash",
    "Store",
    "band_keys",
    "dicts",
    "history_diffs",
    "imported_capture",
    "resolve_duplicates",
    "trust_canonical",
    "write_csv",
    "write_jsonl",
    "write_parquet",
]
