# Wegwijzer: the two commands of the README, and the steps they are made of.
.PHONY: run test setup lint check bench

run: setup ## install everything and start the assistant (Rasa, action server, web API)
	.venv/bin/wegwijzer run

test: ## install everything (Chromium too, for the browser tests) and run the tests
	WEGWIJZER_FOR_TESTS=1 bash scripts/setup.sh
	.venv/bin/ruff check .
	.venv/bin/python -m pytest

setup:
	bash scripts/setup.sh

check:
	.venv/bin/wegwijzer knowledge check

bench: setup
	.venv/bin/python bench/bench_search.py
