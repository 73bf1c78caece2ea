"""Factories for applications and remedy cases (model-level; services are tested through their own calls)."""

from __future__ import annotations

import datetime as dt

import factory

from gongkai.applications.models import Application, ApplicationEvent, RemedyCase, Status
from gongkai.applications.vocab import ApplicantType, Channel, RemedyKind, RemedyResult
from gongkai.orgs.tests.factories import OrganisationFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An open application received on ``received_on``; pass ``outcome``/``closed_on`` (or trait ``replied``)."""

    class Meta:
        model = Application

    org = factory.SubFactory(OrganisationFactory)
    tracking_code = factory.Sequence(lambda n: f"T{n:08d}")
    channel = Channel.IN_PERSON
    received_on = dt.date(2026, 3, 2)
    submitted_on = factory.LazyAttribute(lambda a: a.received_on)
    applicant_type = ApplicantType.NATURAL_PERSON
    applicant_name = factory.Sequence(lambda n: f"申请人{n}")
    info_title = factory.Sequence(lambda n: f"某项目审批文件{n}")
    status = Status.IN_PROGRESS

    class Params:
        replied = factory.Trait(
            status=Status.REPLIED,
            outcome="1",
            closed_on=factory.LazyAttribute(lambda a: a.received_on + dt.timedelta(days=10)),
        )


class ApplicationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationEvent

    application = factory.SubFactory(ApplicationFactory)
    kind = "received"
    date = factory.LazyAttribute(lambda e: e.application.received_on)


class RemedyCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RemedyCase

    org = factory.SubFactory(OrganisationFactory)
    kind = RemedyKind.REVIEW
    filed_on = dt.date(2026, 4, 1)
    result = RemedyResult.PENDING
    closed_on = None
