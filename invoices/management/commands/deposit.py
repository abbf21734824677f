"""``manage.py deposit PATH... --as EMAIL [--structure SIRET]``: the operators' batch channel.

Each file (UBL, CII, Factur-X, or a zip / tar.gz of them) becomes one deposit, processed at
once in this process (no worker needed; when a running worker takes it first, the command
waits for that worker's outcome), and one JSON line is printed per deposit with its
number and result. Exit 0 when every deposit was integrated, 1 otherwise, 2 on usage errors.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chorus.accounts.models import Membership, User
from chorus.core.actor import Actor
from chorus.core.exceptions import DomainError
from invoices.choices import DepositMode, FlowStatus
from invoices.models import Flow
from invoices.services.deposit import flow_receive
from invoices.services.processing import flow_process


class Command(BaseCommand):
    help = "Deposit invoice files on behalf of a user and print each result as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="files to deposit")
        parser.add_argument("--as", dest="email", required=True, help="depositing user's e-mail")
        parser.add_argument(
            "--structure", help="SIRET (identifier) of the structure; needed if several"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            self._usage(f"No active user with e-mail {options['email']}.")
        memberships = Membership.objects.filter(user=user, structure__is_active=True)
        if options["structure"]:
            memberships = memberships.filter(structure__identifier=options["structure"])
        choices = list(memberships.select_related("structure")[:2])
        if not choices:
            self._usage("This user is a member of no such active structure.")
        if len(choices) > 1:
            self._usage("This user belongs to several structures: choose one with --structure.")
        structure = choices[0].structure
        paths = [Path(p) for p in options["paths"]]
        for path in paths:
            if not path.is_file():
                self._usage(f"No such file: {path}")
        actor = Actor(user=user)
        all_integrated = True
        for path in paths:
            try:
                with path.open("rb") as handle:
                    flow = flow_receive(
                        actor=actor,
                        structure=structure,
                        mode=DepositMode.BATCH,
                        name=path.name,
                        content=handle,
                    )
            except DomainError as refused:
                all_integrated = False
                self.stdout.write(json.dumps({"file": str(path), "error": refused.message}))
                continue
            processed = flow_process(flow_id=flow.pk) or _outcome(flow)
            report = processed.report
            if processed.status != FlowStatus.INTEGRATED:
                all_integrated = False
            self.stdout.write(
                json.dumps(
                    {
                        "file": str(path),
                        "flow": processed.number,
                        "status": processed.status,
                        "summary": report.get("summary", {}),
                        "documents": [
                            {
                                "name": d["name"],
                                "invoice_number": d["invoice_number"],
                                "result": d["result"],
                                "fatal": sorted(
                                    {
                                        f["rule_id"]
                                        for f in d["findings"]
                                        if f["severity"] == "fatal"
                                    }
                                ),
                            }
                            for d in report.get("documents", [])
                        ],
                        "findings": [f["rule_id"] for f in report.get("findings", [])],
                    },
                    ensure_ascii=False,
                )
            )
        if not all_integrated:
            sys.exit(1)

    def _usage(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)


FINAL = frozenset(
    {
        FlowStatus.INTEGRATED,
        FlowStatus.PARTIALLY_INTEGRATED,
        FlowStatus.REJECTED,
        FlowStatus.INCIDENT,
    }
)
WAIT_SECONDS = 600  # beyond the processing lease, after which the sweep finishes the flow


def _outcome(flow: Flow) -> Flow:
    """A worker claimed the flow before this process: wait for its decision, not guess."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        flow.refresh_from_db()
        if flow.status in FINAL or time.monotonic() > deadline:
            return flow
        time.sleep(0.2)


def _fatal_ids(findings: list[dict[str, Any]]) -> list[str]:
    return sorted({f["rule_id"] for f in findings if f["severity"] == "fatal"})


__all__ = ["Command", "CommandError"]
