"""The Wegwijzer web API and pages (FastAPI): chat, front-desk search, health, resident pages and widget."""
