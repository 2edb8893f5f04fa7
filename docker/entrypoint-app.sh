#!/bin/sh
# Entrypoint of the app image (web API, action server, Telegram bot): prepares the writable
# var/ volume, says what is baked in, then runs the command it was given (docker-compose.yml).
set -eu

var="${WEGWIJZER_VAR:-/app/var}"
if ! mkdir -p "$var/logs" "$var/telegram" 2>/dev/null || [ ! -w "$var" ]; then
  echo "FOUT: $var is niet schrijfbaar voor gebruiker $(id -u). Geef het volume aan die gebruiker." >&2
  exit 1
fi

# The models and the index are built into the image (wegwijzer setup at build time).
index="${WEGWIJZER_INDEX_DIR:-/opt/wegwijzer/index}"
if [ ! -f "$index/manifest.json" ]; then
  echo "FOUT: geen zoekindex in $index. Bouw het image opnieuw: docker compose build." >&2
  exit 1
fi

exec "$@"
