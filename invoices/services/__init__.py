"""Invoice services: every write on deposits and invoices (deposit, processing, lifecycle)."""
