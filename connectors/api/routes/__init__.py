"""The API's routers: chat, search, health, pages."""
