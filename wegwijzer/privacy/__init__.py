"""Personal data out of everything that is stored or logged: `redact(text)`.

Standard library only and Python 3.10-compatible: a custom Rasa channel imports it in Rasa's environment.
"""

from wegwijzer.privacy.checks import elfproef, iban_valid
from wegwijzer.privacy.kinds import KINDS, PLACEHOLDERS, Finding
from wegwijzer.privacy.redact import Redacted, findings, redact

__all__ = ["KINDS", "PLACEHOLDERS", "Finding", "Redacted", "elfproef", "findings", "iban_valid", "redact"]
