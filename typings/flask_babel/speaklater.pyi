from collections.abc import Callable
from typing import Any

# Not a str subclass at run time, but it proxies every str method and is accepted wherever a
# str is (WTForms labels, Jinja, str.format); declaring it one says exactly that to mypy.
class LazyString(str):
    def __init__(self, func: Callable[..., str], *args: Any, **kwargs: Any) -> None: ...
    def __html__(self) -> str: ...
