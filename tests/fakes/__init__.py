"""Local fake servers of the vendors, speaking their documented protocols."""
