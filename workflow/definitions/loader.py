"""Load, validate and freeze workflow definitions (SPEC §2a).

A definition file is parsed with a YAML loader that rejects duplicate keys, checked for
shape by pydantic models (unknown keys and wrong types are errors), then checked for
meaning (references between stages, gates, fields and checklist items; reachability).
Every problem is reported at once as a ``FILE: WHERE: WHAT`` line in a
:class:`~workflow.errors.DefinitionError`; a loaded :class:`Definition` is immutable.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from workflow.definitions.base import ORGANISATION_TYPES, Text
from workflow.definitions.rules import meaning_problems
from workflow.definitions.schema import (
    ANY_GROUP,
    Deadline,
    Definition,
    FieldSpec,
    Gate,
    Stage,
)
from workflow.errors import DefinitionError
from workflow.requirements.compare import Comparison

__all__ = [
    "ANY_GROUP",
    "ORGANISATION_TYPES",
    "Comparison",
    "Deadline",
    "Definition",
    "FieldSpec",
    "Gate",
    "Stage",
    "Text",
    "check_definitions",
    "content_hash",
    "definition_files",
    "load_definition_file",
    "load_definitions",
    "parse_definition",
]

# libyaml's parser when PyYAML was built with it: it reads a definition ten times faster
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A safe YAML loader that refuses duplicate mapping keys."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in mapping
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found an unhashable key",
                key_node.start_mark,
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _where(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top)"


_MESSAGES = {
    "missing": "required key is missing",
    "extra_forbidden": "unknown key",
    "string_pattern_mismatch": "must be lower-case letters, digits, '_' or '-'",
    "string_too_short": "must not be empty",
}


def _shape_problems(name: str, error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        loc = [p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        # pydantic adds the union member's type name to the location; drop it for readers
        loc = [p for p in loc if p not in {"int", "float", "date", "str", "none", "Text"}]
        if item["type"] == "extra_forbidden" and loc:
            message = f"unknown key '{loc[-1]}'"
            loc = loc[:-1]
        elif item["type"] == "literal_error" and loc and loc[-1] == "conflict_of_interest":
            message = "must be 'block' (the default) or 'allow'"
        else:
            message = _MESSAGES.get(item["type"], item["msg"][0].lower() + item["msg"][1:])
        problem = f"{name}: {_where(loc)}: {message}"
        if problem not in problems:
            problems.append(problem)
    return problems


def parse_definition(text: str, name: str = "<definition>") -> Definition:
    """Parse and validate one definition from YAML text.

    Args:
        text: the file's content.
        name: the file name used in error messages.

    Returns:
        The validated, immutable definition.

    Raises:
        DefinitionError: with every problem found, as ``FILE: WHERE: WHAT`` lines.
    """
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise DefinitionError([f"{name}: {where}: invalid YAML: {exc.problem}"]) from None
    except yaml.YAMLError as exc:
        raise DefinitionError([f"{name}: (file): invalid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise DefinitionError([f"{name}: (top): must be a mapping of keys to values"])
    try:
        definition = Definition.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(_shape_problems(name, exc)) from None
    problems = [f"{name}: {where}: {what}" for where, what in meaning_problems(definition)]
    if problems:
        raise DefinitionError(problems)
    return definition


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([f"{path.name}: (file): cannot read: {exc}"]) from None


def load_definition_file(path: Path) -> Definition:
    """Read and validate one definition file (see :func:`parse_definition`)."""
    return parse_definition(_read(path), path.name)


def definition_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories into their ``*.yaml`` files, sorted; keep files as given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")))
        else:
            files.append(path)
    return files


def load_definitions(paths: Iterable[Path]) -> list[tuple[Definition, str]]:
    """Load every definition file under ``paths``, collecting problems from all of them.

    Returns:
        Each definition with the text it was read from, in file order.

    Raises:
        DefinitionError: every problem in every file, and duplicate keys across files.
    """
    loaded: list[tuple[Definition, str]] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    files = definition_files(paths)
    if not files:
        raise DefinitionError([f"{', '.join(map(str, paths))}: (path): no definition files"])
    for path in files:
        if not path.exists():
            problems.append(f"{path}: (file): no such file")
            continue
        try:
            text = _read(path)
            definition = parse_definition(text, path.name)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            continue
        if definition.key in seen:
            problems.append(
                f"{path.name}: key: '{definition.key}' is also used by {seen[definition.key]}"
            )
            continue
        seen[definition.key] = path.name
        loaded.append((definition, text))
    if problems:
        raise DefinitionError(problems)
    return loaded


#: superseded versions are kept beside the definitions in this folder, as ``<key>.v<N>.yaml``
VERSIONS_FOLDER = "versions"
_VERSIONED_NAME = re.compile(r"^(?P<key>[a-z0-9_-]+)\.v(?P<version>[0-9]+)\.yaml$")


def check_definitions(paths: Iterable[Path]) -> list[Definition]:
    """Validate definition files, current and superseded (``samspill definitions check``).

    A directory stands for its ``*.yaml`` files and, when it has one, its ``versions/``
    folder. Unlike :func:`load_definitions`, one key may appear in several files as long as
    each (key, version) appears once; a superseded file named ``<key>.v<N>.yaml`` must hold
    that key and version, and a version lower than the current file's of the same key.

    Raises:
        DefinitionError: every problem in every file, as ``FILE: WHERE: WHAT`` lines.
    """
    given = list(paths)
    expanded: list[Path] = []
    for path in given:
        expanded.append(path)
        if path.is_dir() and (path / VERSIONS_FOLDER).is_dir():
            expanded.append(path / VERSIONS_FOLDER)
    files = definition_files(expanded)
    if not files:
        raise DefinitionError([f"{', '.join(map(str, given))}: (path): no definition files"])
    problems: list[str] = []
    loaded: list[tuple[Path, Definition]] = []
    seen: dict[tuple[str, int], str] = {}
    for path in files:
        if not path.exists():
            problems.append(f"{path}: (file): no such file")
            continue
        try:
            definition = parse_definition(_read(path), path.name)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            continue
        ident = (definition.key, definition.version)
        if ident in seen:
            problems.append(
                f"{path.name}: version: '{definition.key}' v{definition.version} "
                f"is also in {seen[ident]}"
            )
            continue
        seen[ident] = path.name
        loaded.append((path, definition))
    current = {d.key: d.version for p, d in loaded if not _VERSIONED_NAME.match(p.name)}
    for path, d in loaded:
        named = _VERSIONED_NAME.match(path.name)
        if named is None:
            continue
        if named["key"] != d.key or int(named["version"]) != d.version:
            problems.append(
                f"{path.name}: key: the file holds '{d.key}' v{d.version}; a superseded "
                f"version is named <key>.v<version>.yaml"
            )
        elif d.key in current and d.version >= current[d.key]:
            problems.append(
                f"{path.name}: version: v{d.version} is not older than the current "
                f"'{d.key}' (v{current[d.key]})"
            )
    if problems:
        raise DefinitionError(problems)
    return [d for _, d in loaded]


def content_hash(text: str) -> str:
    """A stable fingerprint of a definition file's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
