"""Test helpers for the Telegram bot: the fake Bot API server, an assistant double, shared fixtures."""
