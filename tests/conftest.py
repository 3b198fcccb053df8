"""Hypothesis profiles, chosen with `--hypothesis-profile` (registered before pytest reads it).

`ci` is Hypothesis's own default, 100 examples a property: what `make test` and CI run. `dev` tries
10, for `make unit` while working; a failure either finds is replayed from `.hypothesis/` next run.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("ci", settings.get_profile("default"))
settings.register_profile("dev", max_examples=10)
