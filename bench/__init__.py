"""Benchmarks: corpus generator, side-by-side builds, email and sending figures (`make bench`)."""
