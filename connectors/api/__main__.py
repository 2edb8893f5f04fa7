"""`python -m connectors.api [--host H] [--port P]`: serve the API and pages with uvicorn."""

from __future__ import annotations

import argparse
import os

from connectors.api.server import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m connectors.api", description="Wegwijzer API en pagina's")
    parser.add_argument("--host", default=os.environ.get("WEGWIJZER_API_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEGWIJZER_API_PORT", "8000")))
    args = parser.parse_args()
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
