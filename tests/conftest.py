"""The shared hypothesis profile: no deadlines (this machine is slow and shared), and in CI a
derandomized run, so a property test gives the same examples on every run and never flakes.
Set HYPOTHESIS_PROFILE=thorough for a long run by hand (thousands of examples)."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", **_COMMON)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("thorough", max_examples=3000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
