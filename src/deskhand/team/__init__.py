"""The brand's team: accounts, passwords, sessions, roles, invitations and password resets.

Used by the admin console and the helpdesk inbox; it knows nothing of their pages.
"""
