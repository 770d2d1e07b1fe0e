"""The few emails accounts sends. Each says why it came and what to do if unexpected."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMessage


def send(
    to: str,
    subject: str,
    template: str,
    language: str = "en",
    subject_args: dict | None = None,
    **context,
) -> None:
    """Send one plain-text email in the reader's language. ``subject`` is an ``N_`` string.

    ``template`` is a name in ``accounts/email/`` ("invitation"), or another feature's template
    path ("commissions/email/summary.txt").
    """
    path = template if "/" in template else f"accounts/email/{template}.txt"
    with force_locale(language):
        body = render_template(path, **context)
        subject = _(subject, **(subject_args or {}))
    EmailMessage(
        subject=subject, body=body, to=[to], from_email=current_app.config["MAIL_DEFAULT_SENDER"]
    ).send()
