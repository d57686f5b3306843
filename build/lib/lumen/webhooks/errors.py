"""Every webhook error leaves as ``{"error": CODE, "message": str}`` (see lumen.errors)."""

from lumen.errors import register_json_errors
from lumen.webhooks import bp

# A non-2xx answer makes Shopify retry, which is what an outage (e.g. Redis down) needs.
register_json_errors(bp, http_wording={}, failure_message="The webhook could not be processed.")

