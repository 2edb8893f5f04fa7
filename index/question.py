"""Who asks is not what is asked: the asker's frame is left out before a question is searched.

Professionals and front-desk staff frame a question by who it is about ("mevrouw aan de balie:
...", "als wijkverpleegkundige, ..."). The small encoders weigh that frame over the need, so a
debt question "aan de balie" matches other front-desk examples. The frames are content: regular
expressions under `frames` in knowledge/texts/<lang>.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wegwijzer.knowledge.text import collapse_whitespace, fold, whole_words

ASKER_ROLES = frozenset({"professional", "balie"})  # roles whose questions carry a frame
POLICY_TOPIC = "beleid"  # questions about the framework itself: its passages are the answer, not a place
MIN_WORDS_LEFT = 3  # a question that would shrink below this keeps its frame


class FrameStripper:
    def __init__(self, patterns: Iterable[str]) -> None:
        self.frames = [re.compile(pattern, re.IGNORECASE) for pattern in patterns]

    def without_frame(self, text: str) -> str:
        """The question without who asks it, when enough of it is left; otherwise the question."""
        stripped = text
        for frame in self.frames:
            stripped = frame.sub(" ", stripped)
        stripped = " ".join(stripped.split()).strip(" ,.")
        return stripped if len(stripped.split()) >= MIN_WORDS_LEFT else text

    def for_role(self, text: str, role: str | None) -> str:
        return self.without_frame(text) if role in ASKER_ROLES else text


class DefinitionQuestion:
    """Asking what a word means ("hoe definieert de nota het begrip eigen kracht?").

    The patterns are content (`definition_questions` in knowledge/texts/<lang>.yaml). A passage that
    defines a word the question names (a glossary entry) is then the answer itself."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = [re.compile(pattern, re.IGNORECASE) for pattern in patterns]

    def asks_meaning(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.patterns)

    @staticmethod
    def names(text: str, term: str) -> bool:
        """The question holds the term as whole words ("eigen kracht", not "kracht" alone)."""
        return whole_words(term).search(fold(text)) is not None


# Text between quotes: 'doen wat nodig is', "eigen kracht", ‘…’, “…”, „…”, «…».
_QUOTED = re.compile(r"(?:(?<!\w)'([^']+)'(?!\w)|\"([^\"]+)\"|‘([^’]+)’|“([^”]+)”|„([^”“]+)[”“]|«([^»]+)»)")
MIN_QUOTED_WORDS = 2  # a single quoted word is usually a name the other signals already weigh


def quoted_phrases(text: str) -> list[str]:
    """Phrases a question quotes, folded: someone quoting the framework wants the passage that says it."""
    phrases = (next(group for group in match.groups() if group) for match in _QUOTED.finditer(text))
    return [collapse_whitespace(fold(p)) for p in phrases if len(p.split()) >= MIN_QUOTED_WORDS]
