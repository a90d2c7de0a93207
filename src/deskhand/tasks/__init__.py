"""Heavy background work (help-centre crawls; store syncs later) on a Dramatiq queue in Redis."""
