"""Each domain's reads, one module a domain, as plain functions over an open `Ledger`.

Figures read the `live_*` views (rows neither voided nor brought by a voided import);
listings read the tables themselves, voided rows included and marked.
"""
