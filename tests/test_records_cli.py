"""`wegwijzer report` and `wegwijzer records purge` on the default SQLite database in var/."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wegwijzer.cli import main
from wegwijzer.records import RecordStore, TurnRecord


@pytest.fixture
def var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WEGWIJZER_VAR", str(tmp_path))
    monkeypatch.setenv("WEGWIJZER_RECORDS_KEY", "cli-test-key")
    for name in ("WEGWIJZER_DATABASE_URL", "WEGWIJZER_RETENTION_DAYS", "POSTGRESQL_SCHEMA"):
        monkeypatch.delenv(name, raising=False)
    store = RecordStore.from_settings()
    now = datetime.now(UTC)
    store.record_turn(TurnRecord("a", "ik kan de huur niet betalen, bel 06-12345678", "not_sure", "purmerend", "nl"))
    store.record_turn(TurnRecord("b", "schulden", "answered", "leiderdorp", "en", channel="telegram"))
    store.record_feedback("b", helped=True)
    store.record_turn(TurnRecord("c", "oud", "answered", "purmerend", at=now - timedelta(days=10)))
    store.record_turn(TurnRecord("d", "heel oud", "answered", "purmerend", at=now - timedelta(days=40)))
    store.close()
    return tmp_path


def test_report_prints_a_dutch_table(var: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "Gesprekken" in out and "Beantwoord" in out and "50,0%" in out
    assert "Teruggevallen (niet zeker of geen antwoord)" in out
    assert "ik kan de huur niet betalen, bel [telefoonnummer]" in out and "06-12345678" not in out
    assert "Per gemeente" in out and "Per taal" in out and "Per kanaal" in out
    assert "Reacties: 1 geholpen, 0 niet geholpen" in out


def test_report_json_days_and_gemeente(var: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["conversations"] == 2  # the last 7 days
    assert main(["report", "--json", "--days", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["conversations"] == 3  # everything kept (day 40 was purged)
    assert main(["report", "--json", "--days", "30", "--gemeente", "purmerend"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["conversations"] == 2 and report["period"]["gemeente"] == "purmerend"


def test_purge_command(var: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["records", "purge", "--days", "5"]) == 0
    assert "2 beurten, 0 reacties, 0 Rasa-gebeurtenissen" in capsys.readouterr().out
    assert main(["report", "--json", "--days", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["conversations"] == 2


def test_purge_command_keeps_the_log_files_to_the_retention(var: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same purge takes the log lines and files older than the retention out of var/logs; a process that
    has its log open for appending (as the stack's processes do) goes on writing after it."""
    logs = var / "logs"
    logs.mkdir(exist_ok=True)

    def stamp(days: float) -> str:  # local time, as Python's logging and Rasa write it
        return (datetime.now() - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")

    old = [
        f"{stamp(8)} INFO     rasa.core: vraag over [BSN] oud-1\n",
        "Traceback (most recent call last): oud-2\n",
        '  File "x.py", line 1 oud-3\n',
        f"{stamp(6)} WARNING  rasa.core: oud-4\n",
    ]
    kept = [
        "INFO:     zonder tijd, na de laatste oude regel: kan nieuwer zijn\n",
        f"{stamp(1)} INFO     rasa.core: nieuw\n",
        "INFO:     zonder tijd aan het eind\n",
    ]
    (logs / "rasa.log").write_text("".join(old + kept), encoding="utf-8")
    ten_days_ago = (datetime.now() - timedelta(days=10)).timestamp()
    for name in ("actions.log", "api.log.1"):  # a file nobody wrote for ten days, a rotated copy
        (logs / name).write_text("INFO:     oud\n", encoding="utf-8")
        os.utime(logs / name, (ten_days_ago, ten_days_ago))
    (logs / "api.log").write_text(f"{stamp(0.5)} INFO nieuw\n", encoding="utf-8")
    with (logs / "rasa.log").open("ab") as process:  # the process keeps its file open for appending
        assert main(["records", "purge", "--days", "5"]) == 0
        process.write(b"INFO:     daarna geschreven\n")
    assert "4 logregels en 2 logbestanden" in capsys.readouterr().out
    assert (logs / "rasa.log").read_text(encoding="utf-8") == "".join(kept) + "INFO:     daarna geschreven\n"
    assert sorted(path.name for path in logs.iterdir()) == ["api.log", "rasa.log"]
    assert (logs / "api.log").read_text(encoding="utf-8").endswith("INFO nieuw\n")
    assert main(["records", "purge", "--days", "5"]) == 0
    assert "0 logregels en 0 logbestanden" in capsys.readouterr().out


def test_bad_settings_get_one_sentence(
    var: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEGWIJZER_RETENTION_DAYS", "veel")
    assert main(["records", "purge"]) == 2
    assert "WEGWIJZER_RETENTION_DAYS moet een aantal dagen zijn" in capsys.readouterr().err
    monkeypatch.delenv("WEGWIJZER_RETENTION_DAYS")
    assert main(["report", "--days", "-1"]) == 2
    monkeypatch.setenv("WEGWIJZER_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/x")
    assert main(["report"]) == 2
    assert "niet bereikbaar" in capsys.readouterr().err


def test_privacy_redact_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["privacy", "redact", "bsn 123456782 en 1441 DM 42"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "bsn [BSN] en [postcode en huisnummer]"
    assert "bsn, address" in captured.err
