# Wegwijzer: the two commands of the README, and the steps they are made of.
.PHONY: run test setup lint check bench

run: setup ## install everything and start the assistant
	.venv/bin/wegwijzer search --gemeente $${GEMEENTE:-purmerend}

test: setup ## install everything and run the tests
	.venv/bin/ruff check .
	.venv/bin/python -m pytest

setup:
	bash scripts/setup.sh

check:
	.venv/bin/wegwijzer knowledge check

bench: setup
	.venv/bin/python bench/bench_search.py
