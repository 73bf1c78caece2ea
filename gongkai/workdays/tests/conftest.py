"""Fixtures for the workdays tests: a fresh calendar cache per test, staff users, a verified admin."""

from __future__ import annotations

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from gongkai.accounts.services import totp_device_confirm, totp_device_start
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import OrganisationFactory, staff
from gongkai.workdays.arithmetic import invalidate
from gongkai.workdays.registry import deadline_sources, unregister_deadline_source


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """Each test rolls its database back, so the per-process table must not outlive it."""
    invalidate()
    yield
    invalidate()


@pytest.fixture(autouse=True)
def no_leftover_sources():
    before = set(deadline_sources())
    yield
    for name in set(deadline_sources()) - before:
        unregister_deadline_source(name)


@pytest.fixture
def admin(db):
    """A 系统管理员 with a confirmed authenticator (the back office requires it)."""
    user = staff(Role.SYSTEM_ADMIN, OrganisationFactory())
    device = totp_device_start(user=user)
    assert totp_device_confirm(user=user, device=device, token=f"{totp(device.bin_key):06d}")
    user.totp = device
    return user


@pytest.fixture
def clerk(db):
    return staff(Role.CLERK, OrganisationFactory())


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = admin.totp.persistent_id
    session.save()
    return client
