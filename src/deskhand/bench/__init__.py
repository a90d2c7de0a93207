"""`deskhand bench` scenarios."""
