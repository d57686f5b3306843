"""Escalation tickets: ``actions`` opens and updates them; their admin pages live beside it."""
