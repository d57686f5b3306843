"""Tests of the deterministic conversation engine."""
