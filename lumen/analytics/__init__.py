"""Analytics a merchant can trust: one function computes the numbers (`report.shop_analytics`),
and the admin page and its JSON twin (`views`) both render them.
"""
