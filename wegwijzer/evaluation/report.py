"""Pass rates overall and per kind, topic, language, gemeente and role."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")
FACETS = ("kind", "lang", "gemeente", "role", "topic")


def rate(values: Sequence[bool]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def breakdown(rows: Iterable[T], facet: Callable[[T], str], value: Callable[[T], float]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        groups[facet(row)].append(value(row))
    return {key: {"n": len(v), "score": round(sum(v) / len(v), 4)} for key, v in sorted(groups.items())}


def table(title: str, groups: dict[str, dict[str, float]]) -> str:
    lines = [f"{title}:"]
    for key, stats in groups.items():
        lines.append(f"  {key:<16} {stats['score']:.3f}  (n={int(stats['n'])})")
    return "\n".join(lines)


def expectation_lines(failure: dict) -> list[str]:
    """What a failed case or turn expected and the reply it got, indented under its heading line."""
    expected = f"      verwacht een van {failure['expect_any']}"
    if failure["expect_not"]:
        expected += f", niet {failure['expect_not']}"
    return [expected, f"      kreeg: {failure['reply'][:240]!r}"]
