"""Evaluation on question sets in the schema of shared/eval/README.md."""
