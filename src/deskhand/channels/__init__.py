"""Channels: how reply blocks reach the shopper (web chat, SMS, WhatsApp, email, terminal)."""
