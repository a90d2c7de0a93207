"""Email in (provider webhooks) and out (SMTP), threaded, quotes stripped."""
