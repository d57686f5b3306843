"""Rate limits count in Redis per key and window."""

from lumen.ratelimit import Bucket, any_full, hit, hit_all, peek


def test_limit_allows_up_to_the_limit_then_refuses(app):
    decisions = [hit("test:a", limit=3, window_seconds=60) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert decisions[-1].count == 5
    assert 0 < decisions[-1].retry_after <= 60


def test_keys_are_independent_and_peek_does_not_count(app):
    hit("test:b", limit=1, window_seconds=60)
    assert peek("test:b", limit=1).allowed is False
    assert peek("test:c", limit=1).allowed is True
    assert hit("test:c", limit=1, window_seconds=60).allowed is True


def test_window_expiry_resets_the_count(app):
    redis = app.extensions["redis"]
    hit("test:d", limit=1, window_seconds=60)
    redis.delete("lumen:rate:test:d")  # what expiry does when the window ends
    assert hit("test:d", limit=1, window_seconds=60).allowed is True


def test_hit_all_counts_each_bucket_and_stops_at_the_first_one_over(app):
    narrow, wide = Bucket("test:narrow", 2, 60), Bucket("test:wide", 100, 60)
    decisions = [hit_all([narrow, wide]) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, False, False]
    assert decisions[-1].count == 4 and 0 < decisions[-1].retry_after <= 60
    # The wide bucket counted only the events the narrow one let through.
    assert peek("test:wide", limit=100).count == 2
    assert app.extensions["redis"].ttl("lumen:rate:test:wide") > 0


def test_any_full_reads_every_bucket_without_counting(app):
    hit("test:full", limit=1, window_seconds=60)
    assert any_full([Bucket("test:empty", 1, 60), Bucket("test:full", 1, 60)]) is True
    assert any_full([Bucket("test:empty", 1, 60)]) is False
    assert peek("test:empty", limit=1).count == 0
