"""Browser journeys of issue 17, on the demo (real Chromium):

1. a citizen applies online to 青山县人民政府; the 县政府办's clerk (demo user jbr) finds it in the inbox, takes it,
   answers, issues the reply, records its delivery and places the 电子印章; the citizen downloads the issued,
   sealed letter from the status page;
2. the county's 公开办管理员 (demo user gkb) opens the demo's registered 行政诉讼, sees its 答辩 deadline and how the
   challenged reply reached the applicant, builds the evidence bundle with one click and downloads it.

Screenshots of the inbox, the letter with its delivery, the remedy page and the citizen's status page are kept
at 1280 and 375 px in test-artifacts/ (the ones in docs/screenshots/ are taken from there)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from gongkai.accounts.models import User
from gongkai.applications.models import Application, EvidenceBundle, Letter, RemedyCase
from gongkai.backoffice.demo import load_demo
from gongkai.orgs.models import Organisation
from gongkai.workdays.arithmetic import invalidate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Gongkai@Demo2026"  # noqa: S105 (the demo's published password)
PHONE = {"width": 375, "height": 740}
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"  # as the root conftest's page fixture


@pytest.fixture(autouse=True)
def _calendar():
    invalidate()  # transactional tests flush the calendar tables
    yield
    invalidate()


def shoot(page, name: str, *, selector: str | None = None) -> None:
    """The page (or one region of it) at 1280 px and at 375 px, into test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, suffix in ((1280, "1280"), (PHONE["width"], "375")):
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else PHONE["height"]})
        width_px = page.evaluate("document.documentElement.scrollWidth")
        assert width_px <= width, f"{name} 在 {width}px 宽时横向溢出（{width_px}px）"
        path = str(ARTIFACTS / f"{name}-{suffix}.png")
        if selector:
            page.locator(selector).screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def apply_online(page, base: str, county: Organisation) -> tuple[str, str]:
    """The citizen applies online to the county government: the tracking code and the 查询码."""
    page.goto(f"{base}/ysqgk/{county.code}/")
    page.get_by_label("申请人类型").select_option("natural")
    page.get_by_label("姓名或名称").fill("林晓")
    page.locator("#id_id_type").select_option("resident_id")
    page.locator("#id_id_number").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13905790456")
    page.get_by_label("电子邮箱").fill("linxiao@example.com")
    page.get_by_label("所需信息的名称").fill("青山县2026年老旧小区改造计划")
    page.get_by_label("获取信息的方式").select_option("email")
    page.get_by_label("本人承诺所填信息真实有效").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/done/$"))
    return page.locator("#tracking-code").inner_text().strip(), page.locator("#secret").inner_text().strip()


def take_answer_and_issue(page, a: Application) -> None:
    """On the application's page: 指定经办人 (the clerk takes it), 答复 (予以公开), then issue the reply."""
    page.locator("summary", has_text="指定经办人").click()
    page.locator("#id_assign-assignee").select_option(str(User.objects.get(username="jbr").pk))
    page.get_by_role("button", name="指定经办人").click()
    assert page.locator("#status").inner_text() == "办理中"
    page.locator("summary", has_text=re.compile(r"^答复$")).click()
    page.locator("#id_reply-outcome").select_option("1")
    page.get_by_role("button", name="答复", exact=True).click()
    assert page.locator("#status").inner_text() == "已答复"
    page.get_by_role("link", name="政府信息公开申请答复告知书").click()
    page.get_by_label("我已核对文书内容，确认出具（出具后不能再修改）").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="出具", exact=True).click()
    assert "出具，不能再修改" in page.content()


def record_delivery_and_seal(page, base: str, a: Application, letter: Letter) -> None:
    """Place the county's 电子印章, then record the reply's delivery (e-mailed and confirmed today).

    The seal comes first: once a letter is delivered the copy handed out is evidence and the seal is refused.
    """
    page.goto(f"{base}/admin/applications/{a.pk}/#letter-{letter.pk}")
    row = page.locator(f"#letter-{letter.pk}")
    row.locator("summary", has_text="盖章").click()
    row.get_by_role("button", name="加盖本机关电子印章（PDF）").click()
    row = page.locator(f"#letter-{letter.pk}")
    assert "已加盖电子印章" in row.locator(".stamp-status").inner_text()
    row.locator("summary", has_text="记录送达").click()
    today = timezone.localdate().isoformat()
    page.locator(f"#id_delivery-{letter.pk}-method").select_option("email")
    page.locator(f"#id_delivery-{letter.pk}-sent_on").fill(today)
    page.locator(f"#id_delivery-{letter.pk}-received_on").fill(today)
    row.get_by_role("button", name="保存送达记录").click()
    status = page.locator(f"#letter-{letter.pk} .delivery-status").inner_text()
    assert "电子邮件" in status and "待确认送达" not in status
    row = page.locator(f"#letter-{letter.pk}")
    # a delivered letter offers no seal any more, and the form keeps what was recorded
    assert row.get_by_role("button", name="加盖本机关电子印章（PDF）").count() == 0
    row.locator("summary", has_text="记录送达").click()
    assert row.locator(f"#id_delivery-{letter.pk}-received_on").input_value() == today


def test_office_clerk_issues_a_sealed_letter_and_the_citizen_downloads_it(page, live_server):
    load_demo(password=PASSWORD)
    county = Organisation.objects.get(name="青山县人民政府")
    base = live_server.url
    code, secret = apply_online(page, base, county)
    a = Application.objects.get(tracking_code=code)
    assert a.org == county

    # the 县政府办's clerk finds it in the inbox under 新收, takes it, answers and issues the reply
    login(page, base, "jbr")
    page.goto(f"{base}/admin/applications/inbox/")
    new = page.locator("section#new")
    assert code in new.inner_text()
    shoot(page, "inbox")
    new.get_by_role("link", name=code).click()
    page.wait_for_url(re.compile(rf"/admin/applications/{a.pk}/$"))
    take_answer_and_issue(page, a)
    letter = a.letters.get(kind="reply")
    assert letter.is_issued and letter.signatory == "青山县人民政府"  # in the county government's name
    record_delivery_and_seal(page, base, a, letter)
    shoot(page, "letter-delivery", selector="ul.letters")

    # the citizen looks the application up and downloads the issued, sealed letter
    page.context.clear_cookies()
    page.goto(f"{base}/ysqgk/status/")
    page.get_by_label("申请编号").fill(code)
    page.get_by_label("查询码").fill(secret)
    page.get_by_role("button", name="查询").click()
    assert page.locator("#public-status").inner_text() == "已答复"
    assert "盖章版" in page.locator(".public-letters").inner_text()
    shoot(page, "citizen-status")
    with page.expect_download() as info:
        page.locator(f'a[data-letter="{letter.pk}"]').click()
    pdf = PdfReader(info.value.path())
    text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pdf.pages))
    assert "政府信息公开申请答复告知书" in text and "林晓" in text and "草稿" not in text
    assert any(p.images for p in pdf.pages), "PDF 上没有电子印章图片"


def test_staff_build_the_evidence_bundle_of_a_registered_suit(page, live_server):
    load_demo(password=PASSWORD)
    case = RemedyCase.objects.get(kind="suit_direct", application__isnull=False)
    reply = case.application.letters.get(kind="reply")
    base = live_server.url
    login(page, base, "gkb")
    page.goto(f"{base}/admin/applications/remedies/")
    page.locator("tr", has_text=case.case_number).get_by_role("link", name="未经复议直接起诉").click()
    page.wait_for_url(re.compile(rf"/remedies/{case.pk}/$"))
    # the 答辩 deadline with its explanation, and how the challenged reply reached the applicant
    assert "「诉讼答辩」期限" in page.locator("#remedy-answer").inner_text()
    challenged = page.locator("#challenged").inner_text()
    assert reply.title in challenged and "邮寄" in challenged and "1190035512033" in challenged
    assert "提起行政诉讼期限" in challenged
    shoot(page, "remedy")
    # one click builds the bundle (a job with a progress page), then back on the case to download it
    page.get_by_role("button", name="生成证据材料").click()
    page.wait_for_url(re.compile(rf"/remedies/{case.pk}/#evidence$"))
    assert "证据材料已生成" in page.content()
    bundle = EvidenceBundle.objects.get(case=case)
    with page.expect_download() as info:
        page.locator(f'a[data-bundle-pdf="{bundle.pk}"]').click()
    assert info.value.suggested_filename.endswith("行政诉讼证据材料.pdf")
    with open(info.value.path(), "rb") as fh:
        texts = [p.extract_text() or "" for p in PdfReader(io.BytesIO(fh.read())).pages]
    front = re.sub(r"\s+", "", "".join(texts[:2]))
    for title in (
        "政府信息公开申请登记回执",
        reply.title,
        "文书送达情况表",
        "办理时间线及期限说明",
        "审计记录摘录",
    ):
        assert title in front
    assert case.case_number.replace(" ", "") in front
    shoot(page, "remedy-evidence", selector="#evidence")
