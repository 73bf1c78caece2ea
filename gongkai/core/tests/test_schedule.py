"""The beat schedule (settings.CELERY_BEAT_SCHEDULE) is data: every entry names a registered task, every
`gongkai.command` entry an existing management command, and each scheduled command runs through the task the
worker runs (eagerly here) on an empty database. docs/deploy.md lists the same entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from config.celery import app as celery_app
from gongkai.core.jobs.scheduled import run_command

DEPLOY = Path(__file__).resolve().parents[3] / "docs" / "deploy.md"
SCHEDULE = settings.CELERY_BEAT_SCHEDULE
COMMANDS = [entry["args"][0] for entry in SCHEDULE.values() if entry["task"] == "gongkai.command"]


def test_every_entry_names_a_registered_task_and_an_existing_command():
    assert {entry["task"] for entry in SCHEDULE.values()} <= set(celery_app.tasks)
    assert set(COMMANDS) <= set(get_commands())
    for wanted in (
        "remind_due",
        "audit_anchor",
        "send_outbox",
        "purge_personal_data",
        "check_provisional_deadlines",
    ):
        assert wanted in COMMANDS, wanted


def test_deploy_md_documents_every_entry():
    text = DEPLOY.read_text(encoding="utf-8")
    for name in SCHEDULE:
        assert f"`{name}`" in text, f"docs/deploy.md does not list the schedule entry {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "audit_anchor"])
def test_each_scheduled_command_runs_through_the_worker_task(command):
    # audit_anchor needs an anchor destination: core/tests/test_audit_key_and_anchors.py covers it
    assert run_command(command)  # the command's last line, logged by the worker
