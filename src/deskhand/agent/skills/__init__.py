"""Skills: each answers one kind of request with reply blocks."""
