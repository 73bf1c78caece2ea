"""A built evidence bundle (证据材料) of a remedy case: the PDF, the zip of the originals, and the 目录.

The files hold the applicant's data: they live in the default storage (never served directly) and are
downloaded only through a view that checks the reader and writes an audit row (``evidence.views``)."""

from __future__ import annotations

from django.db import models

from gongkai.core.fields import NamedInChinese, user_reference

EVIDENCE_DIR = "applications/evidence/"  # stored under names made of the content's hash


class EvidenceBundle(models.Model):
    case = models.ForeignKey(
        "applications.RemedyCase",
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="evidence_bundles",
    )
    pdf = models.FileField("证据材料（PDF）", upload_to=EVIDENCE_DIR)
    pdf_sha256 = models.CharField("PDF 摘要（SHA-256）", max_length=64)
    zip = models.FileField("原件压缩包", upload_to=EVIDENCE_DIR)
    zip_sha256 = models.CharField("压缩包摘要（SHA-256）", max_length=64)
    pages = models.PositiveIntegerField("页数")
    contents = models.JSONField("目录", default=list, blank=True)  # [{"section", "title", "page", "pages"}]
    built_by = user_reference("生成人")
    built_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "证据材料"
        ordering = ["-built_at", "-id"]

    def __str__(self) -> str:
        return f"证据材料 {self.case_id}-{self.pk}"
