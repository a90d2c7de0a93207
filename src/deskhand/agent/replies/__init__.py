"""Localised wording of every agent reply, from gettext catalogues."""
