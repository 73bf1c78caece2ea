#!/usr/bin/env bash
# What the report importer's real-tool variants need from Debian (bench/real_variants.py, `make bench-variants`):
# poppler's pdftotext, pandoc, LibreOffice (soffice, printing HTML/DOCX to PDF), html2text (html2markdown) and the
# Noto CJK fonts (so the printed PDFs carry the Chinese text). Benchmarks only; `make test` does not need them.
set -euo pipefail
missing=()
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v pandoc >/dev/null || missing+=(pandoc)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
command -v html2markdown >/dev/null || missing+=(python3-html2text)
fc-list :lang=zh family 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)  # grep -q would cut the pipe (pipefail)
if [ ${#missing[@]} -eq 0 ]; then
  echo "变体基准依赖已就绪：pdftotext、pandoc、soffice、html2markdown、Noto CJK 字体"
  exit 0
fi
. "$(dirname "$0")/apt.sh"
echo "安装变体基准依赖：${missing[*]}"
apt_install "${missing[@]}"
echo "已安装：${missing[*]}"
