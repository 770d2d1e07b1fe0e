"""Small-grant ledgers (issue 8): so far only the double-entry core, ``ledger.py``."""
