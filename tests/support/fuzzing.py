"""Hypothesis settings for the suite's fuzzers."""

from hypothesis import HealthCheck, settings


def same_cases_every_run(examples: int) -> settings:
    """Hypothesis settings for the suite's fuzzers: `examples` cases, the same on every run
    (CI does not flake), no deadline (a request's time is not the question)."""
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
