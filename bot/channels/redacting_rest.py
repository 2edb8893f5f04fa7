"""Rasa's REST channel, with personal data taken out of every message before Rasa sees or stores it.

Same URL and payload as Rasa's own channel (POST /webhooks/rest/webhook with sender, message,
metadata). The redaction is wegwijzer.privacy (standard library only, so it runs in Rasa's
Python 3.10 environment): BSN, IBAN, phone numbers, e-mail addresses, postcode + house number
and dates of birth become placeholders such as [BSN] in the tracker store and the logs.
"""

import sys
from pathlib import Path
from typing import Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request

_REPO = Path(__file__).resolve().parents[2]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from wegwijzer.privacy import redact  # noqa: E402

from channels import action_result_check  # noqa: E402

action_result_check.install()  # Rasa checks each action answer's schema anew otherwise (16 % of its CPU)


class RedactingRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def _extract_message(self, req: Request) -> Optional[Text]:
        message = super()._extract_message(req)
        if not isinstance(message, str):
            return message
        return redact(message).text
