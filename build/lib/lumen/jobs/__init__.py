"""RQ jobs: plain functions taking ids, safe to re-run; exceptions propagate so RQ retries."""
