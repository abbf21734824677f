"""The circuit kernel: every document that passes between parties moves through it.

A family declares its circuit once (``<app>/circuit.py``: statuses, edges and the roles that
may take them, groups, codes, deadlines) and registers it; the kernel builds the database
triggers from that declaration, writes every status change (:mod:`chorus.circuits.writer`),
keeps the append-only events, and runs the deadlines. It imports ``chorus.core`` and Django,
never a domain app: the apps import it. See ``docs/architecture.md``.
"""
