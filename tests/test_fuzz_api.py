"""Fuzz the API from its own OpenAPI description with schemathesis: no 5xx and no hang, whatever is sent.

The API runs over real HTTP (uvicorn in its own process) with Rasa on a closed port, so a chat is
answered at once (the degraded answer, which still runs the crisis check on the fuzzed text) and the
fuzzing stays fast. Every operation in /openapi.json gets schema-valid requests (positive) and
schema-breaking ones (negative: wrong types, missing fields, odd strings). Each request has a timeout,
and the number of examples is bounded, so the whole module takes about a minute.

The description says only 'string' for gemeente, role, lang and session_id, and random strings never
pass the API's own checks; so in a share of the examples those fields are set to real values while the
message or question stays fuzzed, and the admin endpoints get the token: the fuzzing then reaches the
assistant, the search (the encoders get the fuzzed text) and the report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, Case, GenerationMode

from connectors.api.launch import free_port, running_api
from wegwijzer.chat import ROLES
from wegwijzer.knowledge.model import LANGUAGES

pytestmark = pytest.mark.slow

EXAMPLES = 100  # at most, per operation and generation mode
REQUEST_TIMEOUT_S = 15.0  # a search encodes the question (~0.2 s); 15 s is a hang
ADMIN_TOKEN = "fuzz-test-toegangscode-0123456789"
REAL_VALUES = st.fixed_dictionaries(
    {
        "gemeente": st.sampled_from(["purmerend", "leiderdorp", "heerhugowaard", " Purmerend "]),
        "role": st.sampled_from([*ROLES, None]),
        "lang": st.sampled_from([*LANGUAGES, None]),
        "session_id": st.from_regex(r"\A[A-Za-z0-9._:-]{1,40}\Z"),
        "k": st.integers(1, 20),
        "topic": st.sampled_from([None, "schulden", "mantelzorg"]),
    }
)
REPAIR = st.one_of(st.none(), REAL_VALUES)  # None: leave the example as generated


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    down = f"http://127.0.0.1:{free_port()}"
    database = Path(tmp_path_factory.mktemp("fuzz")) / "records.db"
    env = {
        "WEGWIJZER_RASA_URL": down,
        "WEGWIJZER_ACTION_URL": down,
        "WEGWIJZER_ADMIN_TOKEN": ADMIN_TOKEN,
        "WEGWIJZER_DATABASE_URL": f"sqlite:///{database}",
        "WEGWIJZER_RATE_SESSION": "0",  # Hypothesis repeats session ids; the limits are tested in test_security.py
    }
    with running_api(env) as url:  # waits for the index: /api/search is fuzzed for real
        yield url


@pytest.fixture(scope="module")
def operations(base: str) -> list[APIOperation]:
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json", timeout=30)
    found = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in found} >= {"POST /api/chat", "GET /api/search", "GET /health"}
    return found


def repaired(case: Case, values: dict[str, Any] | None) -> Case:
    """The example with real values in the fields that have them (where the request has the field)."""
    if values is None:
        return case
    for part in (case.query, case.body):
        if isinstance(part, dict):
            for name, value in values.items():
                if name in part:
                    part[name] = value
    return case


def call(case: Case, base: str, session: requests.Session, authorised: bool) -> int:
    label = f"{case.method} {case.formatted_path}"
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"} if authorised else None
    try:
        response = case.call(base_url=base, session=session, headers=headers, timeout=REQUEST_TIMEOUT_S)
    except requests.Timeout as error:
        raise AssertionError(f"{label}: no answer within {REQUEST_TIMEOUT_S} s") from error
    assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:300]}"
    content_type = (response.headers.get("content-type") or [""])[0]  # schemathesis keeps every value of a header
    if content_type.startswith("application/json") and response.status_code >= 400:
        detail = response.json().get("detail")
        assert isinstance(detail, str) and detail.strip(), f"{label}: an error without a sentence: {response.text}"
    return response.status_code


def fuzz_operation(operation: APIOperation, mode: GenerationMode, base: str, session: requests.Session) -> Counter[int]:
    """Run the examples of one operation; the statuses it answered with."""
    statuses: Counter[int] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples every run: a failure is reproducible
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), values=REPAIR, authorised=st.booleans())
    def fuzz(case: Case, values: dict[str, Any] | None, authorised: bool) -> None:
        statuses[call(repaired(case, values), base, session, authorised)] += 1

    fuzz()
    return statuses


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_no_server_error_and_no_hang(base: str, operations: list[APIOperation], mode: GenerationMode) -> None:
    fuzzed: dict[str, Counter[int]] = {}
    with requests.Session() as session:
        for operation in operations:
            try:
                fuzzed[operation.label] = fuzz_operation(operation, mode, base, session)
            except Unsatisfiable:  # nothing to break in it (no parameters, no body): only in negative mode
                assert mode is GenerationMode.NEGATIVE, operation.label
    print(f"\n{mode.value}: " + "; ".join(f"{label} {dict(s)}" for label, s in fuzzed.items()))
    if mode is GenerationMode.POSITIVE:  # the fuzzed text got through to the assistant and the search
        assert fuzzed["POST /api/chat"][200] >= 5 and fuzzed["GET /api/search"][200] >= 5, fuzzed


def test_the_api_still_answers_after_the_fuzzing(base: str) -> None:
    response = httpx.post(
        f"{base}/api/chat", json={"message": "ik heb schulden", "gemeente": "purmerend"}, timeout=REQUEST_TIMEOUT_S
    )
    assert response.status_code == 200 and response.json()["replies"]
    assert httpx.get(f"{base}/health", timeout=REQUEST_TIMEOUT_S).json()["components"]["index"]["status"] == "ok"
