"""Escalation email alerts: one RQ job per ticket opening (or new reason) on paid plans.

``actions`` decides when a ticket deserves an alert and enqueues it after the commit; ``jobs``
sends it from the worker; ``message`` builds it; ``order`` reads the verified order from
Shopify at send time, the only place the shopper's address (the Reply-To) ever comes from.
"""
