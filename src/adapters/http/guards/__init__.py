"""Checks every request passes before a view: a readable body, JSON where JSON is due, no NUL."""
