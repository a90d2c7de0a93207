"""Proving who a shopper is, the same way on every channel: one-time codes, magic links,
hand-over tokens from a verified conversation, lockouts and per-address/per-client limits."""
