"""Privacy: what Deskhand holds about a shopper, exported or erased, and old transcripts purged.

- `privacy/held.py`: finding a shopper's rows (by email or phone, through the Store port).
- `privacy/export.py`: everything held about a shopper, as one JSON document.
- `privacy/erase.py`: redacting a shopper's conversations and removing their personal
  fields, keeping the metrics anonymous.
- `privacy/retention.py`: the worker's chore that redacts transcripts older than
  `DESKHAND_TRANSCRIPT_RETENTION_DAYS`.
"""
