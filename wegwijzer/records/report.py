"""The content team's report: how conversations went, what residents asked that got no good answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, and_, case, func, or_, select, true

from wegwijzer.records.model import (
    ANSWERED,
    CLARIFIED,
    CRISIS,
    FALLEN_BACK,
    HANDOFF,
    OUTCOMES,
    SMALLTALK,
    UNANSWERED,
    from_stored,
    to_utc_naive,
    utc_now,
)
from wegwijzer.records.schema import Tables

TOP = 10
DIMENSIONS = ("gemeente", "lang", "channel")


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class _Query:
    def __init__(self, tables: Tables, since: datetime | None, gemeente: str | None) -> None:
        self.t = tables.turns
        self.f = tables.feedback
        self.since = to_utc_naive(since) if since else None
        self.gemeente = gemeente

    def turn_filter(self) -> ColumnElement[bool]:
        conditions: list[ColumnElement[bool]] = []
        if self.since is not None:
            conditions.append(self.t.c.at >= self.since)
        if self.gemeente:
            conditions.append(self.t.c.gemeente == self.gemeente)
        return and_(true(), *conditions)

    def feedback_filter(self) -> ColumnElement[bool]:
        conditions: list[ColumnElement[bool]] = []
        if self.since is not None:
            conditions.append(self.f.c.at >= self.since)
        if self.gemeente:
            conditions.append(self.t.c.gemeente == self.gemeente)
        return and_(true(), *conditions)

    def counts(self, connection: Connection, group: Column[Any] | None) -> dict[Any, dict[str, int]]:
        t = self.t
        question = t.c.outcome != SMALLTALK
        crisis = or_(t.c.crisis.is_(True), t.c.outcome == CRISIS)
        columns = [
            func.count(func.distinct(t.c.conversation)).label("conversations"),
            func.count().label("turns"),
            func.sum(case((question, 1), else_=0)).label("questions"),
            func.sum(case((and_(question, crisis), 1), else_=0)).label("crisis_questions"),
            *(func.sum(case((t.c.outcome == outcome, 1), else_=0)).label(outcome) for outcome in OUTCOMES),
        ]
        query = select(*([group] if group is not None else []), *columns).where(self.turn_filter())
        if group is not None:
            query = query.group_by(group)
        result: dict[Any, dict[str, int]] = {}
        for row in connection.execute(query).mappings():
            key = row[group.name] if group is not None else None
            result[key] = {name: int(row[name] or 0) for name in row if group is None or name != group.name}
        return result

    def feedback_counts(self, connection: Connection, group: Column[Any] | None) -> dict[Any, dict[str, int]]:
        t, f = self.t, self.f
        query = (
            select(
                *([group] if group is not None else []),
                func.sum(case((f.c.helped.is_(True), 1), else_=0)).label("helped"),
                func.sum(case((f.c.helped.is_(False), 1), else_=0)).label("not_helped"),
            )
            .select_from(f.outerjoin(t, f.c.turn_id == t.c.id))
            .where(self.feedback_filter())
        )
        if group is not None:
            query = query.group_by(group)
        return {
            (row[group.name] if group is not None else None): {
                "helped": int(row["helped"] or 0),
                "not_helped": int(row["not_helped"] or 0),
            }
            for row in connection.execute(query).mappings()
        }

    def top_unanswered(self, connection: Connection) -> list[dict[str, Any]]:
        t = self.t
        key = func.lower(func.trim(t.c.question))
        query = (
            select(
                func.min(t.c.question).label("question"), func.count().label("count"), func.max(t.c.at).label("last")
            )
            .where(self.turn_filter(), t.c.outcome.in_(UNANSWERED), t.c.question != "")
            .group_by(key)
            .order_by(func.count().desc(), func.max(t.c.at).desc())
            .limit(TOP)
        )
        return [{"question": row.question, "count": int(row.count)} for row in connection.execute(query)]

    def top_badly_rated(self, connection: Connection) -> list[dict[str, Any]]:
        t, f = self.t, self.f
        key = func.lower(func.trim(t.c.question))
        query = (
            select(func.min(t.c.question).label("question"), func.count().label("count"))
            .select_from(f.join(t, f.c.turn_id == t.c.id))
            .where(self.feedback_filter(), f.c.helped.is_(False), t.c.question != "")
            .group_by(key)
            .order_by(func.count().desc(), func.max(f.c.at).desc())
            .limit(TOP)
        )
        return [{"question": row.question, "count": int(row.count)} for row in connection.execute(query)]


def _shares(counts: dict[str, int]) -> dict[str, float | None]:
    questions = counts.get("questions", 0)
    return {
        "answered": _share(counts.get(ANSWERED, 0), questions),
        "clarified": _share(counts.get(CLARIFIED, 0), questions),
        "fallen_back": _share(sum(counts.get(o, 0) for o in FALLEN_BACK), questions),
        "handed_over": _share(counts.get(HANDOFF, 0), questions),
        "crisis": _share(counts.get("crisis_questions", 0), questions),
    }


def _feedback(counts: dict[str, int]) -> dict[str, Any]:
    helped, not_helped = counts.get("helped", 0), counts.get("not_helped", 0)
    return {"helped": helped, "not_helped": not_helped, "share_helped": _share(helped, helped + not_helped)}


def build_report(
    connection: Connection, tables: Tables, since: datetime | None, gemeente: str | None
) -> dict[str, Any]:
    """All figures for one period (since → now) and optionally one gemeente. Shares are of questions: turns that
    are not smalltalk (greetings, thanks). 'fallen_back' is not_sure + fallback; 'crisis' counts crisis turns."""
    query = _Query(tables, since, gemeente)
    empty = {name: 0 for name in ("conversations", "turns", "questions", "crisis_questions", *OUTCOMES)}
    total = query.counts(connection, None).get(None, empty)
    report: dict[str, Any] = {
        "period": {
            "since": from_stored(to_utc_naive(since)).isoformat() if since else None,
            "until": utc_now().isoformat(timespec="seconds"),
            "gemeente": gemeente,
        },
        "conversations": total["conversations"],
        "turns": total["turns"],
        "questions": total["questions"],
        "outcomes": {outcome: total[outcome] for outcome in OUTCOMES},
        "shares": _shares(total),
        "feedback": _feedback(query.feedback_counts(connection, None).get(None, {})),
        "top_unanswered": query.top_unanswered(connection),
        "top_badly_rated": query.top_badly_rated(connection),
    }
    for dimension in DIMENSIONS:
        column = tables.turns.c[dimension]
        counts = query.counts(connection, column)
        feedback = query.feedback_counts(connection, column)
        rows = []
        for key in sorted(set(counts) | {k for k in feedback if k is not None}, key=lambda k: (k is None, k or "")):
            c = counts.get(key, {})
            rows.append(
                {
                    "key": key or "",
                    "conversations": c.get("conversations", 0),
                    "questions": c.get("questions", 0),
                    **_shares(c),
                    **_feedback(feedback.get(key, {})),
                }
            )
        report[f"by_{dimension}"] = rows
    return report
