"""Analytics events and the metrics computed from them."""
