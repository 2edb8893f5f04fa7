"""`wegwijzer report` and `wegwijzer records purge` on the default SQLite database in var/."""

from __future__ import annotations

import json
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
