"""Fixtures for the e-invoice core tests (no database needed)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
SAMPLES = REPO_ROOT / "invoices" / "tests" / "samples"


def corpus_dir() -> Path | None:
    """The shared corpus: $CHORUS_CORPUS_DIR or ../shared/corpus next to the repository."""
    env = os.environ.get("CHORUS_CORPUS_DIR")
    path = Path(env) if env else REPO_ROOT.parent / "shared" / "corpus"
    return path if (path / "verdicts.csv").is_file() else None


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if path is None:
        pytest.skip(
            "reference corpus not found: set CHORUS_CORPUS_DIR or place it at ../shared/corpus "
            "(with verdicts.csv)"
        )
    return path


@pytest.fixture(scope="session")
def verdicts(corpus: Path) -> list[dict[str, str]]:
    with (corpus / "verdicts.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def ubl_invoice() -> str:
    return sample("ubl_invoice_minimal.xml").decode()


@pytest.fixture
def cii_invoice() -> str:
    return sample("cii_invoice_minimal.xml").decode()
