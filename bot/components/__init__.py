"""Custom Rasa components of Wegwijzer (importable as `components.*` with bot/ as working directory)."""
