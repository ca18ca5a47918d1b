#!/usr/bin/env bash
# Installs the external programs saraban uses: poppler (PDF text and page images) and
# tesseract with Thai and English (OCR); chromium and its driver for the browser test
# (tests/browser.rs). Rust builds everything else.
set -euo pipefail
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install poppler-utils and tesseract-ocr (with Thai) with your package manager" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq poppler-utils tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng chromium chromium-driver >/dev/null
