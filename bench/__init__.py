"""Samspill's performance benchmarks (SPEC §6); run them all with ``make bench``."""
