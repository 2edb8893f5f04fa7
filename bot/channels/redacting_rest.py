"""Rasa's REST channel, for our own services only, with nothing identifying reaching Rasa.

Same URL and payload as Rasa's own channel (POST /webhooks/rest/webhook with sender, message,
metadata), and on top of it:

- only a caller with the internal token (header X-Wegwijzer-Token, wegwijzer.privacy.keys) is heard:
  the API and Telegram have it; anyone else gets 401 and nothing is stored;
- the sender must be the keyed hash the API makes of a session (32 hex characters), never a session
  id a client chose (400 otherwise);
- metadata keeps only gemeente, role, lang and channel, each a short lower-case word;
- a message that starts with '/' counts as a button payload only when it is one the bot offers
  (payloads.py); other such text is read as words, so Rasa never logs it as a broken payload;
- the message is redacted (wegwijzer.privacy: BSN, IBAN, phone numbers, e-mail addresses, postcode +
  house number, dates of birth become placeholders such as [BSN]), also the rest of a number whose
  first part ended the conversation's previous message (kept in memory for a few minutes only);
- every log record of the process is redacted (wegwijzer.privacy.logs), Rasa's included.

wegwijzer.privacy is standard library only, so it runs in Rasa's Python 3.10 environment.
"""

import re
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage, Unauthorized
from sanic.request import Request

_REPO = Path(__file__).resolve().parents[2]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from wegwijzer.privacy.keys import TOKEN_HEADER, internal_token, is_sender, token_ok  # noqa: E402
from wegwijzer.privacy.logs import install_log_redaction  # noqa: E402
from wegwijzer.privacy.split import SplitRedactor  # noqa: E402

from channels import action_result_check  # noqa: E402
from channels.payloads import Payloads  # noqa: E402

install_log_redaction()
action_result_check.install()  # Rasa checks each action answer's schema anew otherwise (16 % of its CPU)

METADATA_KEYS = ("gemeente", "role", "lang", "channel")
_METADATA_VALUE = re.compile(r"[a-z][a-z0-9_-]{0,39}")


def allowed_metadata(metadata: Any) -> Dict[Text, Text]:
    """The channel context the assistant reads; nothing else a caller sends is kept in Rasa's events."""
    if not isinstance(metadata, dict):
        return {}
    return {
        key: metadata[key]
        for key in METADATA_KEYS
        if isinstance(metadata.get(key), str) and _METADATA_VALUE.fullmatch(metadata[key])
    }


class RedactingRestInput(RestInput):
    def __init__(self) -> None:
        self.token = internal_token()
        self.payloads = Payloads.from_knowledge()
        self.redactor = SplitRedactor()

    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        # Rasa calls this first: a refused call ends here, before anything is parsed or stored.
        if not token_ok(req.headers.get(TOKEN_HEADER), self.token):
            raise Unauthorized("Alleen voor de eigen diensten van Wegwijzer.")
        body = req.json if isinstance(req.json, dict) else {}
        sender = body.get("sender")
        if not is_sender(sender):
            raise InvalidUsage("De afzender moet het sleutel-hash van de sessie zijn.")
        return sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        body = req.json if isinstance(req.json, dict) else {}
        message = body.get("message")
        if not isinstance(message, str):
            return None
        sender = str(body.get("sender"))
        return self.redactor.redact(sender, self.payloads.as_words(message)).text

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        body = request.json if isinstance(request.json, dict) else {}
        return allowed_metadata(body.get("metadata"))
