#!/bin/sh
# Entrypoint of the Rasa image: the model is trained at build time into /app/bot/models.
# Conversation state lives in the shared PostgreSQL tracker store and the Redis lock store
# (bot/endpoints.yml), so every replica can serve every turn of every conversation.
set -eu

model="/app/bot/models/wegwijzer.tar.gz"
if [ ! -f "$model" ]; then
  echo "FOUT: het Rasa-model ontbreekt ($model). Bouw het image opnieuw: docker compose build rasa." >&2
  exit 1
fi

exec "$@"
