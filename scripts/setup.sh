#!/usr/bin/env bash
# Install everything transpipe and its test suite need on a fresh Debian machine (idempotent).
#   apt: gettext (msgfmt), omegat (CAT tool used as a real TMX/PO consumer), chromium (HTML report),
#        a JDK with jshell (OmegaT's own segmenter and glossary readers called from tests)
#   pip: transpipe itself (editable) with its dev and ray extras (Ray tests run a real local instance); torch pinned by constraints.txt
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v omegat >/dev/null 2>&1 || missing+=(omegat)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v jshell >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev,ray]'
