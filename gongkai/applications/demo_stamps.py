"""Demo: an 电子印章 for each organisation whose letters the demo issues — a drawn image marked 「演示印章」, never
a real seal — and the reply letters the demo's remedy cases challenge: issued, delivered by post and sealed."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.actors import SYSTEM_DEMO
from gongkai.orgs.models import Organisation

from .letters import letter_issue
from .models import Application, Letter, OrganisationSeal
from .services import delivery, stamps
from .vocab import LetterKind, ServiceMethod

FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
RED = (205, 20, 20, 235)
SIZE = 400


def _font(size: int) -> Any:
    from PIL import ImageFont

    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None  # no CJK font: a seal without its name


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.38
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def seal_png(name: str) -> bytes:
    """A round red seal: the organisation's name along the upper arc, a star, 「演示印章」 below it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = SIZE / 2
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), outline=RED, width=14)
    draw.polygon(_star(c, c, 62), fill=RED)
    font = _font(44)
    if font is not None:
        span = min(250.0, 22.0 * len(name))  # degrees of the arc the name covers
        for i, char in enumerate(name):
            angle = -90 - span / 2 + span * (i + 0.5) / len(name)
            glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((30, 30), char, font=font, fill=RED, anchor="mm")
            glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
            x = c + (c - 62) * math.cos(math.radians(angle))
            y = c + (c - 62) * math.sin(math.radians(angle))
            image.alpha_composite(glyph, (int(x - 30), int(y - 30)))
        small = _font(34)
        draw.text((c, c + 105), "演示印章", font=small, fill=RED, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def load_seals(orgs: list[Organisation]) -> None:
    """Give each organisation without one a demo 电子印章 (uploaded through the service: audited)."""
    for org in orgs:
        if not OrganisationSeal.objects.filter(org=org).exists():
            upload = SimpleUploadedFile("演示印章.png", seal_png(org.name), content_type="image/png")
            stamps.seal_upload(actor=SYSTEM_DEMO, org=org, upload=upload)


def issue_reply(application: Application, *, received_on: dt.date, tracking_number: str) -> Letter | None:
    """Issue the application's reply letter, place the 电子印章, record its posting and signed-for day."""
    letter = application.letters.filter(kind=LetterKind.REPLY).order_by("-id").first()
    if letter is None or letter.is_issued:
        return letter
    letter = letter_issue(actor=SYSTEM_DEMO, letter=letter)
    if OrganisationSeal.objects.filter(
        org=application.org
    ).exists():  # sealed before it is sent, as it must be
        stamps.letter_seal_apply(actor=SYSTEM_DEMO, letter=letter)
    delivery.letter_delivery_record(
        actor=SYSTEM_DEMO, letter=letter, method=ServiceMethod.POST, tracking_number=tracking_number,
        sent_on=letter.dated, received_on=received_on,
    )  # fmt: skip
    return letter
