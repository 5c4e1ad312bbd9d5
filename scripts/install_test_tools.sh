#!/usr/bin/env bash
# Installs what the browser, HTML and workflow tests need, once: Debian's Chromium, a
# Java runtime (for the Nu HTML Checker), zbar (QR codes), and the pinned npm packages in package.json.
# Safe to run again; does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
# Debian's chromium; on Ubuntu (e.g. GitHub's runners) the preinstalled Google Chrome is used instead.
if [[ -z "${CHROME_PATH:-}" ]] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
   && ! command -v google-chrome >/dev/null 2>&1 && ! command -v google-chrome-stable >/dev/null 2>&1; then
  need_apt+=(chromium)
fi
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
# zbarimg decodes the QR codes of the printed flyers (tests/test_reach_browser.py)
command -v zbarimg >/dev/null 2>&1 || need_apt+=(zbar-tools)
# (no grep -q: with pipefail, fc-list would die of SIGPIPE and the check would fail)
fc-list 2>/dev/null | grep -i "Noto Naskh Arabic" >/dev/null || need_apt+=(fonts-noto-core)
if ((${#need_apt[@]})); then
  as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    if sudo -n true 2>/dev/null; then
      as_root=(sudo -n)   # e.g. GitHub's runners
    else
      echo "Bitte installieren: ${need_apt[*]} (apt-get install ${need_apt[*]})" >&2
      exit 1
    fi
  fi
  echo "Installiere ${need_apt[*]} …"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [[ -f package.json ]]; then
  if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
