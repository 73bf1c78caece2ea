#!/usr/bin/env bash
# Install what the tests need from Debian: Chromium and CJK fonts (browser tests, readable screenshots), and the
# report importer's readers: antiword (Word 97 .doc), tesseract with its simplified-Chinese model (OCR of scans
# and photos), poppler-utils (pdftoppm rasterises scanned PDFs).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
# WeasyPrint (PDF letters and reports) needs Pango.
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v antiword >/dev/null || need+=(antiword)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] || need+=(tesseract-ocr-chi-sim)
[ ${#need[@]} -eq 0 ] && { echo "系统依赖已就绪：chromium、中文字体、antiword、tesseract（简体中文）、pdftoppm"; exit 0; }
. "$(dirname "$0")/apt.sh"
echo "安装系统依赖：${need[*]}"
apt_install "${need[@]}" fontconfig
echo "已安装：${need[*]}"
