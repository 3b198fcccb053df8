"""The password rules a new password must meet."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import ValidationError

PASSWORD_MIN_LENGTH = 12
# Long enough for any passphrase, short enough that hashing one is never a denial of service.
PASSWORD_MAX_LENGTH = 1024


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """Length bounds, and never the username itself."""

    min_length: int = PASSWORD_MIN_LENGTH
    max_length: int = PASSWORD_MAX_LENGTH

    def check(self, password: str, *, username: str) -> None:
        """ValidationError with a `password` detail unless the password is acceptable."""
        if len(password) < self.min_length:
            problem = f"must be at least {self.min_length} characters"
        elif len(password) > self.max_length:
            problem = f"must be at most {self.max_length} characters"
        elif password.strip().casefold() == username.strip().casefold():
            problem = "must not be the username"
        else:
            return
        raise ValidationError("invalid password", {"password": problem})
