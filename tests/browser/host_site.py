"""A municipality's website for the widget tests: another origin than the API, with its own strict CSP
that allows only the Wegwijzer origin for the widget's script, style and frame."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST_PAGES = Path(__file__).parent / "host"


class HostSite:
    def __init__(self, api_base: str, position: str = "right") -> None:
        api, pages = api_base, HOST_PAGES

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                name = self.path.split("?", 1)[0].lstrip("/") or "index.html"
                path = pages / name
                if "/" in name or not path.is_file():
                    self.send_error(404)
                    return
                body = path.read_text(encoding="utf-8").replace("{{API}}", api).replace("{{POSITION}}", position)
                kind = "text/css" if name.endswith(".css") else "text/html; charset=utf-8"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header(
                    "Content-Security-Policy",
                    f"default-src 'self'; script-src 'self' {api}; style-src 'self' {api}; frame-src {api}; "
                    "img-src 'self'; object-src 'none'; base-uri 'self'",
                )
                data = body.encode()
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # "localhost" is another site than the API on 127.0.0.1, as a municipality's site would be.
        self.url = f"http://localhost:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HostSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
