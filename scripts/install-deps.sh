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
# python3 (standard library only) generates the large hostile test inputs
# (scripts/make_bad_fixtures.sh).
$sudo apt-get install -y -qq python3 poppler-utils tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng chromium chromium-driver >/dev/null

# Apache Spark for the distributed job (spark/) and its tests: Java 17 or newer
# and `pyspark` (PyPI) in a virtual environment .venv-spark at the repository root.
if ! command -v java >/dev/null 2>&1; then
  if apt-cache show openjdk-17-jre-headless >/dev/null 2>&1; then
    $sudo apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  else
    $sudo apt-get install -y -qq default-jre-headless >/dev/null
  fi
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  $sudo apt-get install -y -qq python3-venv >/dev/null
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
if ! [ -x "$repo/.venv-spark/bin/spark-submit" ]; then
  python3 -m venv "$repo/.venv-spark"
  "$repo/.venv-spark/bin/pip" install -q --disable-pip-version-check pyspark
fi
