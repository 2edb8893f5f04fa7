"""The asker's frame is left out of a professional's question before it is searched."""

from __future__ import annotations

import yaml

from index.question import FrameStripper
from tests.conftest import KNOWLEDGE


def stripper() -> FrameStripper:
    texts = yaml.safe_load((KNOWLEDGE / "texts" / "nl.yaml").read_text(encoding="utf-8"))
    return FrameStripper(texts["frames"])


def test_front_desk_frame_is_left_out() -> None:
    frames = stripper()
    asked = "jonge vrouw van 20 aan de balie, achterstanden bij telefoonabonnementen en webshops"
    assert frames.without_frame(asked) == "achterstanden bij telefoonabonnementen en webshops"
    assert (
        frames.without_frame("huisarts: patient met schulden en slapeloosheid")
        == "patient met schulden en slapeloosheid"
    )


def test_only_askers_lose_their_frame() -> None:
    frames = stripper()
    asked = "mevrouw aan de balie: ze kan de huur niet meer betalen"
    assert frames.for_role(asked, "balie") == "ze kan de huur niet meer betalen"
    assert frames.for_role(asked, "professional") == "ze kan de huur niet meer betalen"
    assert frames.for_role(asked, "inwoner") == asked  # "ik ben mantelzorger, ..." is the need itself


def test_a_question_that_is_only_frame_keeps_its_words() -> None:
    assert stripper().without_frame("mevrouw aan de balie") == "mevrouw aan de balie"


def test_a_role_frame_goes_but_the_need_in_it_stays() -> None:
    frames = stripper()
    assert frames.without_frame("als wijkverpleegkundige, wie helpt bij een scootmobiel") == (
        "wie helpt bij een scootmobiel"
    )
    assert frames.without_frame("Ik ben leerkracht groep 8. Waar vind ik een podium") == "Waar vind ik een podium"
    # The need sits inside the frame: only the role and the verb go.
    assert frames.without_frame("als leerkracht vermoed ik kindermishandeling, wat zijn de stappen") == (
        "kindermishandeling, wat zijn de stappen"
    )
    assert frames.without_frame("als huisarts zie ik een patient die veel alleen is, waar verwijs ik naar") == (
        "een patient die veel alleen is, waar verwijs ik naar"
    )
    # No role at all: nothing goes.
    asked = "ik ben bang voor mijn partner, hij zegt dat hij me iets aandoet"
    assert frames.without_frame(asked) == asked
