"""Conversation history in the admin: the filtered list, the transcript, and CSV exports.

Views register on the admin blueprint (behind its session-token gate, scoped to ``g.shop``);
queries and actions sit beside them.
"""
