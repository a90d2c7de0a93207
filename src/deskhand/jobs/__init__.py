"""Outbox, worker and schedules."""
