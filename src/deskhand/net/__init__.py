"""Outbound networking shared by every vendor client."""
