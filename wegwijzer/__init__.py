"""Wegwijzer: where do I go? An offline guidance assistant for the social domain."""

__version__ = "0.1.0"
