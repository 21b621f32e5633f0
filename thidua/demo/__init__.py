"""Demo data: a deterministic, realistic BHXH Việt Nam organisation with five years of history.

`generator` builds plain data (no database access) from a seed, streamed in chunks; `loader`
writes it with bulk inserts. The `demo` management command ties them together.
"""
