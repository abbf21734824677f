"""The benchmark command runs end to end on a small generated directory."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from chorus.accounts.models import Structure

pytestmark = pytest.mark.django_db


def test_bench_directory_prints_one_json_line_and_leaves_nothing_behind(capsys):
    call_command("bench_directory", structures=400, services_per=2, searches=20)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    for key in (
        "import_seconds",
        "rows_per_second",
        "peak_rss_mb",
        "search_p50_ms",
        "search_p95_ms",
    ):
        assert result[key] > 0, key
    assert (result["structures"], result["services"], result["bad_rows"]) == (400, 800, 0)
    assert result["searches"] == 20
    assert not Structure.objects.exists()
