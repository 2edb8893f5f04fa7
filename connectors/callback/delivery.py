"""Send a callback request to the municipality: a webhook and/or an e-mail. Nothing is stored or logged.

Configured from the environment (deployment settings, not content):
- WEGWIJZER_CALLBACK_WEBHOOK: a URL that receives the request as JSON (POST);
- WEGWIJZER_SMTP_HOST, WEGWIJZER_SMTP_PORT (25), WEGWIJZER_CALLBACK_FROM, WEGWIJZER_CALLBACK_TO:
  an e-mail to the municipality's team. Both may be set; at least one must work.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

import anyio
import httpx

from connectors.callback.form import CallbackRequest
from wegwijzer.settings import load_settings

log = logging.getLogger("wegwijzer.callback")


@dataclass(frozen=True)
class CallbackSettings:
    webhook: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str | None = None
    mail_to: str | None = None

    @classmethod
    def from_settings(cls) -> CallbackSettings:
        settings = load_settings()
        return cls(
            webhook=settings.callback_webhook,
            smtp_host=settings.smtp_host,
            smtp_port=settings.smtp_port,
            mail_from=settings.callback_from,
            mail_to=settings.callback_to,
        )

    @property
    def configured(self) -> bool:
        return bool(self.webhook or (self.smtp_host and self.mail_to and self.mail_from))


def _email(request: CallbackRequest, settings: CallbackSettings) -> EmailMessage:
    data = request.to_json()
    message = EmailMessage()
    message["Subject"] = f"Terugbelverzoek via Wegwijzer ({request.gemeente})"
    message["From"] = str(settings.mail_from)
    message["To"] = str(settings.mail_to)
    message.set_content(
        "Een inwoner vraagt om teruggebeld te worden.\n\n"
        f"Voornaam: {data['first_name']}\nTelefoon of e-mail: {data['contact']}\n"
        f"Beste moment: {data['best_time']}\nWaar gaat het over: {data['summary']}\nTaal: {data['lang']}\n"
    )
    return message


async def deliver(request: CallbackRequest, settings: CallbackSettings) -> list[str]:
    """The channels that accepted the request ('webhook', 'email'); empty when none did."""
    delivered = []
    if settings.webhook:
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                response = await client.post(settings.webhook, json=request.to_json())
            if response.is_success:
                delivered.append("webhook")
            else:
                log.warning("terugbelverzoek: webhook antwoordde %s", response.status_code)
        except httpx.HTTPError as error:
            log.warning("terugbelverzoek: webhook niet bereikbaar (%s)", type(error).__name__)
    if settings.smtp_host and settings.mail_to and settings.mail_from:
        try:
            await anyio.to_thread.run_sync(_send_mail, request, settings)
            delivered.append("email")
        except (OSError, smtplib.SMTPException) as error:
            log.warning("terugbelverzoek: e-mail niet verstuurd (%s)", type(error).__name__)
    return delivered


def _send_mail(request: CallbackRequest, settings: CallbackSettings) -> None:
    with smtplib.SMTP(str(settings.smtp_host), settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(_email(request, settings))
