"""Read every content file once: parsed data with line numbers, or the problem that stopped it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wegwijzer.knowledge.markdown_source import FrontMatterError, ParsedMarkdown, split_front_matter
from wegwijzer.knowledge.yaml_lines import LinedYaml, YamlSyntaxError, load_yaml


@dataclass(frozen=True)
class Problem:
    """One content error, always with the file and line it is on."""

    file: Path
    line: int
    message: str

    def render(self, root: Path) -> str:
        try:
            shown = self.file.resolve().relative_to(root.resolve().parent)
        except ValueError:
            shown = self.file
        return f"{shown}:{self.line}: {self.message}"


@dataclass
class YamlFile:
    path: Path
    doc: LinedYaml

    def problem(self, json_path: tuple[str | int, ...], message: str) -> Problem:
        return Problem(self.path, self.doc.line_of(json_path), message)


@dataclass
class MarkdownFile:
    path: Path
    parsed: ParsedMarkdown

    def problem(self, json_path: tuple[str | int, ...], message: str) -> Problem:
        return Problem(self.path, self.parsed.front_matter.line_of(json_path), message)


@dataclass
class RawKnowledge:
    root: Path
    gemeenten: list[YamlFile] = field(default_factory=list)
    sources: list[MarkdownFile] = field(default_factory=list)
    services: list[YamlFile] = field(default_factory=list)
    topics: list[YamlFile] = field(default_factory=list)
    glossary: YamlFile | None = None
    texts: list[YamlFile] = field(default_factory=list)  # what the assistant says, per language
    crisis: YamlFile | None = None
    crisis_bank: list[YamlFile] = field(default_factory=list)  # what the crisis detector learns from
    themes: list[YamlFile] = field(default_factory=list)  # each gemeente's colours on the pages (huisstijl/)
    simple: list[YamlFile] = field(default_factory=list)  # the places said simpler, A2 (simple/)
    problems: list[Problem] = field(default_factory=list)

    def dialogue_paths(self) -> list[Path]:
        """The files only the conversation uses; editing them does not make the index stale."""
        files = [f.path for f in (*self.texts, *self.crisis_bank)]
        return sorted([*files, self.crisis.path] if self.crisis else files)

    def all_paths(self) -> list[Path]:
        files: list[Path] = [f.path for f in (*self.gemeenten, *self.services, *self.topics)]
        files += [f.path for f in self.sources]
        if self.glossary:
            files.append(self.glossary.path)
        return sorted(files)


def _read_yaml(path: Path, raw: RawKnowledge) -> YamlFile | None:
    try:
        return YamlFile(path, load_yaml(path))
    except YamlSyntaxError as error:
        raw.problems.append(Problem(path, error.line, str(error)))
    except UnicodeDecodeError:
        raw.problems.append(Problem(path, 1, "bestand is geen UTF-8-tekst"))
    return None


def _read_markdown(path: Path, raw: RawKnowledge) -> MarkdownFile | None:
    try:
        return MarkdownFile(path, split_front_matter(path.read_text(encoding="utf-8")))
    except FrontMatterError as error:
        raw.problems.append(Problem(path, error.line, str(error)))
    except UnicodeDecodeError:
        raw.problems.append(Problem(path, 1, "bestand is geen UTF-8-tekst"))
    return None


def read_knowledge(root: Path) -> RawKnowledge:
    raw = RawKnowledge(root=root)
    if not root.is_dir():
        raw.problems.append(Problem(root, 1, "de map met kennis bestaat niet"))
        return raw
    for folder in ("gemeenten", "sources", "services", "topics", "texts"):
        if not (root / folder).is_dir():
            raw.problems.append(Problem(root / folder, 1, f"map '{folder}/' ontbreekt"))
    for path in sorted((root / "gemeenten").glob("*.yaml")):
        if (item := _read_yaml(path, raw)) is not None:
            raw.gemeenten.append(item)
    for path in sorted((root / "sources").glob("*/*.md")):
        if (md := _read_markdown(path, raw)) is not None:
            raw.sources.append(md)
    for path in sorted((root / "services").glob("*.yaml")):
        if (item := _read_yaml(path, raw)) is not None:
            raw.services.append(item)
    for path in sorted((root / "topics").glob("*.yaml")):
        if (item := _read_yaml(path, raw)) is not None:
            raw.topics.append(item)
    for path in sorted((root / "texts").glob("*.yaml")):
        if (item := _read_yaml(path, raw)) is not None:
            raw.texts.append(item)
    crisis = root / "crisis.yaml"
    if crisis.is_file():
        raw.crisis = _read_yaml(crisis, raw)
    else:
        raw.problems.append(Problem(crisis, 1, "crisis.yaml ontbreekt"))
    for path in sorted((root / "crisis_bank").glob("*.yaml")):
        if (item := _read_yaml(path, raw)) is not None:
            raw.crisis_bank.append(item)
    for path in sorted((root / "huisstijl").glob("*.yaml")):
        if (item := _read_yaml(path, raw)) is not None:
            raw.themes.append(item)
    for path in sorted((root / "simple").glob("*.yaml")):
        if (item := _read_yaml(path, raw)) is not None:
            raw.simple.append(item)
    glossary = root / "glossary.yaml"
    if glossary.is_file():
        raw.glossary = _read_yaml(glossary, raw)
    else:
        raw.problems.append(Problem(glossary, 1, "glossary.yaml ontbreekt"))
    return raw
