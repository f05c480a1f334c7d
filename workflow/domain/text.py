"""Text that reaches a mail header or a log line: one line, no control characters (SPEC §7).

Titles and names are refused at input when they hold a control character
(:func:`has_control`); text on its way into a header or a log line goes through
:func:`one_line` at that boundary as well, so rows stored before the check cannot break or
forge one either.
"""

from __future__ import annotations

import re

#: C0 and C1 controls (CR, LF, tab, NUL, NEL, …) and the Unicode line and paragraph separators
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control(text: str) -> bool:
    """Whether ``text`` holds a line break or another control character."""
    return _CONTROL.search(text) is not None


def one_line(text: str) -> str:
    """``text`` with each line break and other control character made a space."""
    return _CONTROL.sub(" ", text)
