"""What a channel says when Rasa or the action server cannot be reached: honest, with a contact.

The crisis check runs here too, so a message in danger still gets 112 / 113 / Veilig Thuis first.
"""

from __future__ import annotations

from wegwijzer.chat import Reply
from wegwijzer.dialogue.crisis import CrisisDetector, CrisisFinding
from wegwijzer.dialogue.phrasebook import Phrasebook
from wegwijzer.knowledge import KnowledgeBase


def unavailable_answer(
    knowledge: KnowledgeBase, gemeente: str | None, lang: str | None, finding: CrisisFinding, detector: CrisisDetector
) -> list[Reply]:
    """`finding` is the crisis check of the message (`detector.check`): its lines come first."""
    phrasebook = Phrasebook(knowledge)
    replies = detector.replies(finding, lang)
    place = knowledge.gemeenten.get(gemeente or "")
    if place is None:
        said = phrasebook.phrase("unavailable_no_gemeente", lang)
    else:
        contact = phrasebook.gemeente_contact(place, lang)
        said = phrasebook.phrase("unavailable", lang, gemeente=place.name, contact=contact)
    replies.append(Reply(said.text, simple=said.simple))
    return replies
