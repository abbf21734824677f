"""Deposit limits (reference §2.3), in one place for forms, API, archives and processing."""

from __future__ import annotations

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_DEPOSIT_BYTES = 120 * 1024 * 1024
MAX_FILE_NAME_LENGTH = 50
MAX_ARCHIVE_ENTRIES = 500
MAX_ARCHIVE_RATIO = 100
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz")
# Deposits processed together by one task: enough to amortise the SQL round trips of a batch
# (one transaction, bulk inserts), small enough to keep each deposit's latency short.
FLOWS_PER_TASK = 100
