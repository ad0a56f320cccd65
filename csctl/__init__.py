"""csctl: a customer-service department's rulebook as an append-only SQLite ledger."""

__version__ = "0.1.0"
