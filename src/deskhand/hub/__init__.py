"""The Customer Hub: passwordless sign-in, orders, edit, cancel, track and returns pages."""
