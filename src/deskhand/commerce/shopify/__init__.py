"""The Shopify store: Admin GraphQL client, sync, webhooks and writes (see adapter.py)."""
