"""Factories for organisations, users and memberships (shared by every app's tests)."""

from __future__ import annotations

from typing import cast

import factory

from gongkai.accounts.models import User
from gongkai.orgs.codes import org_code_check_char
from gongkai.orgs.models import Level, Membership, Organisation, OrgKind, Role

TEST_PASSWORD = "Gongkai#Test2026"


def valid_org_code(n: int) -> str:
    body = f"{n:08d}"
    return body + org_code_check_char(body)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """Builds through the model with path/depth set as the service would (no audit row)."""

    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试机构{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:10])
    code = factory.Sequence(lambda n: valid_org_code(90000000 + n))
    parent = None
    level = Level.COUNTY
    kind = OrgKind.DEPARTMENT
    review_body = "测试市人民政府"
    court = "测试县人民法院"

    @factory.lazy_attribute
    def path(self) -> str:
        return f"{self.parent.path}{self.code}/" if self.parent else f"/{self.code}/"

    @factory.lazy_attribute
    def depth(self) -> int:
        return self.parent.depth + 1 if self.parent else 0


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    org = factory.SubFactory(OrganisationFactory)
    role = Role.CLERK


def staff(role: str, org: Organisation, **kwargs) -> User:
    """A user holding ``role`` in ``org``."""
    user = cast(User, UserFactory(**kwargs))
    MembershipFactory(user=user, org=org, role=role)
    return user
