"""The brand's admin console, under /admin: sign-in, team, skills, policy settings, audit log.

Every role may view every page; only owner and admin may change anything, checked on the
server for every POST (`deps.Editor`), whatever the page shows.
"""
