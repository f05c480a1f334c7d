"""Form validators that word their limits in the page language.

WTForms' own :class:`~wtforms.validators.Length` says "Feltet kan ikke være lenger enn 10000
tegn" (the library's words, the digits ungrouped); this one says "Kan ha høyst 10 000 tegn."
with the app's words and Babel's digits.
"""

from __future__ import annotations

from typing import Any

from wtforms import validators
from wtforms.validators import ValidationError

from webapp.i18n import CODES, number


class Length(validators.Length):
    """``Length(min=…, max=…)`` whose message is the app's, with the limits as numbers in
    the page language (``10 000`` in bokmål)."""

    def __call__(self, form: Any, field: Any) -> None:
        length = len(field.data) if field.data else 0
        if length >= self.min and (self.max == -1 or length <= self.max):
            return
        if self.message is not None:
            raise ValidationError(self.message)
        if self.max == -1:
            code = "too_short"
        elif self.min <= 0 or (length > self.max and self.min <= 0):
            code = "too_long"
        else:
            code = "length_between" if self.min > 0 else "too_long"
        raise ValidationError(str(CODES[code]) % {"min": number(self.min), "max": number(self.max)})
