"""Agent tests: conversations a brand writes with the outcome it expects, run against its
current rules and content in a sandbox (`deskhand test`, the console's Agent tests page)."""
