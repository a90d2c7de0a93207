"""The Store port and its adapters (embedded store; Shopify later)."""
