"""`python -m connectors.api [--host H] [--port P] [--no-access-log]`: serve the API and pages with uvicorn.

The one way the API is started: by `wegwijzer run` (wegwijzer.stack), the tests (connectors.api.launch)
and the Docker image."""

from __future__ import annotations

import argparse

from connectors.api.server import serve
from wegwijzer.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m connectors.api", description="Wegwijzer API en pagina's")
    settings = load_settings()
    parser.add_argument("--host", default=settings.api_host)
    parser.add_argument("--port", type=int, default=settings.api_port)
    parser.add_argument("--no-access-log", action="store_true", help="geen regel per verzoek in het log")
    args = parser.parse_args()
    serve(args.host, args.port, access_log=not args.no_access_log)


if __name__ == "__main__":
    main()
