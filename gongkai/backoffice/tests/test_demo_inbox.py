"""Acceptance (issue 17): on the demo, an online application to 青山县人民政府 is in the inbox and the list of
the 县政府办's 经办人 (the county's 政府信息公开工作机构), with the count on the workbench."""

from __future__ import annotations

import pytest

from gongkai.accounts.models import User
from gongkai.applications.demo import COUNTY_ONLINE_TITLE
from gongkai.applications.models import Application
from gongkai.backoffice.demo import load_demo
from gongkai.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_county_application_reaches_the_office_clerk(client):
    load_demo(password="Demo#Pass2026x")
    county = Organisation.objects.get(name="青山县人民政府")
    assert county.handling_office is not None and county.handling_office.name == "青山县人民政府办公室"
    online = Application.objects.get(org=county, info_title=COUNTY_ONLINE_TITLE)
    assert online.submitted_online and online.assignee is None

    client.force_login(User.objects.get(username="jbr"))
    inbox = client.get("/admin/applications/inbox/").content.decode()
    new = inbox.split('id="new"', 1)[1].split("</section>", 1)[0]
    assert online.tracking_code in new
    assert online.tracking_code in client.get("/admin/applications/?status=registered").content.decode()
    assert client.get(f"/admin/applications/{online.pk}/").status_code == 200
    workbench = client.get("/admin/").content.decode()
    assert 'id="inbox-new">' in workbench and 'id="inbox-new">0<' not in workbench

    # the finance bureau's clerk does not see it
    client.logout()
    client.force_login(User.objects.get(username="czj"))
    assert online.tracking_code not in client.get("/admin/applications/inbox/").content.decode()
    assert client.get(f"/admin/applications/{online.pk}/").status_code == 404
