"""Rasa's action server, in the Python 3.11 environment next to the index (Rasa's webhook protocol)."""
