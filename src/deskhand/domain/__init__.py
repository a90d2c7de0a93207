"""Pure dataclasses and rules: no I/O, no ORM."""
