"""Telling the handling staff at once when the applicant acts online (a 补正 sent from the status page): an e-mail
to the assignee, or — nobody assigned — to the clerks and 公开办管理员 of the handling office (the same people
``remind_due`` writes to). Sent after the commit, so a rolled-back step mails nobody; a mail outage is logged and
never undoes the applicant's step. The message names the tracking code and what happened, nothing personal."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction

from .models import Application
from .reminders import org_handlers

logger = logging.getLogger(__name__)


def handling_staff_emails(application: Application) -> list[str]:
    """The assignee's address, else those of the handling office's clerks and 公开办管理员."""
    if application.assignee is not None and application.assignee.email:
        return [application.assignee.email]
    return sorted(set(org_handlers({application.org_id}).get(application.org_id, [])))


def alert_handling_staff(application: Application, *, subject: str, body: str) -> list[str]:
    """Mail ``subject``/``body`` to the handling staff once the transaction commits; returns the recipients."""
    recipients = handling_staff_emails(application)
    if not recipients:
        logger.warning("applications: no staff address to alert for application %s", application.pk)
        return []

    def send() -> None:
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # noqa: BLE001 - the applicant's step is committed; the inbox still shows it
            logger.exception("applications: could not alert the staff of application %s", application.pk)

    transaction.on_commit(send)
    return recipients
