"""Proving who a shopper is, the same way on every channel (chat, SMS, email, the Hub).

- `sending`: ask for a code: the shared per-address and per-client limits, the customer
  looked up through the Store port, the code stored and the caller's message queued.
- `codes`: the codes themselves (hashed, 10 minutes, single use), wrong tries and lockouts.
- `links`: the Hub's magic links, signed with itsdangerous (15 minutes, single use).
- `handoff`: hand-over tokens a verified conversation gives the Hub.
"""
