"""Load YAML and remember the line of every value, for error messages with a line number."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

JsonPath = tuple[str | int, ...]


class YamlSyntaxError(ValueError):
    """A YAML file that cannot be parsed; carries the 1-based line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class LinedYaml:
    """Plain Python data plus a map from each value's path to its 1-based line."""

    data: Any
    lines: dict[JsonPath, int] = field(default_factory=dict)

    def line_of(self, path: JsonPath) -> int:
        """Line of the value at `path`, or of its nearest ancestor that exists."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def _construct(node: yaml.Node, path: JsonPath, lines: dict[JsonPath, int], line_offset: int) -> Any:
    lines[path] = node.start_mark.line + 1 + line_offset
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            result[key] = _construct(value_node, (*path, key), lines, line_offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), lines, line_offset) for i, item in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def parse_yaml(text: str, line_offset: int = 0) -> LinedYaml:
    """Parse one YAML document; raises YamlSyntaxError with the line of the problem."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        raise YamlSyntaxError(f"ongeldige YAML: {error.problem or error}", line) from error
    if node is None:
        return LinedYaml(data=None, lines={(): 1 + line_offset})
    lines: dict[JsonPath, int] = {}
    data = _construct(node, (), lines, line_offset)
    return LinedYaml(data=data, lines=lines)


def load_yaml(path: Path) -> LinedYaml:
    return parse_yaml(path.read_text(encoding="utf-8"))
