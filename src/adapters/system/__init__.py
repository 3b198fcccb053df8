"""Standard-library implementations of the clock and id ports."""
