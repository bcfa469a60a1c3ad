"""A value and where it came from: every field reports its provenance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """One possible value of a field and its source, e.g. ("2022-02-01", "jsonld")."""

    value: T
    source: str


def first(*candidates: Candidate[T] | None) -> Candidate[T] | None:
    """The first candidate that has a value: sources are passed best first."""
    for cand in candidates:
        if cand is not None and cand.value:
            return cand
    return None
