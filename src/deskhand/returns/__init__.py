"""Returns and exchanges: the records, the rules of starting and moving a return, and the
ReturnsProvider port (built-in now; Loop and AfterShip plug in behind the same port)."""
