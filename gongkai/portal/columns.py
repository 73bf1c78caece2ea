"""The fixed columns of a 政府信息公开专栏 (国办发〔2017〕47号 / 国办秘函〔2019〕19号 layout)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    slug: str
    label: str
    summary: str


COLUMNS: tuple[Column, ...] = (
    Column("zhinan", "政府信息公开指南", "信息分类、获取方式、公开工作机构与联系方式"),
    Column("zhidu", "政府信息公开制度", "本机关政府信息公开工作制度"),
    Column("fdzdgknr", "法定主动公开内容", "《条例》第二十条、第二十一条规定应当主动公开的政府信息"),
    Column("nianbao", "政府信息公开年报", "政府信息公开工作年度报告"),
    Column("ysqgk", "依申请公开", "申请获取政府信息的渠道与办理流程"),
)
BY_SLUG = {c.slug: c for c in COLUMNS}
