"""Scale benchmarks: a seeded graph generator (``generate``) and the runner (``run``).

``python -m benchmarks.run --scale M`` (or ``make bench SCALE=M``) prints one table of
timings, memory and ratios and writes it as JSON; see BENCHMARKS.md for the latest figures.
"""
