"""Deskhand: an open-source, self-hostable AI customer agent for e-commerce brands."""

__version__ = "0.1.0"
