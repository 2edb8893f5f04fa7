"""The tables: one row per turn, one per feedback on an answer, one per callback request waiting for staff, one
per web session bound to a browser."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, MetaData, String, Table, Text

TURNS = "wegwijzer_turns"
FEEDBACK = "wegwijzer_feedback"
CALLBACKS = "wegwijzer_callbacks"
BOUND_SESSIONS = "wegwijzer_bound_sessions"
QUESTION_MAX = 2000  # the API refuses longer messages; a longer text is cut, never stored whole


class Tables:
    def __init__(self, schema: str | None = None) -> None:
        self.metadata = MetaData(schema=schema)
        self.turns = Table(
            TURNS,
            self.metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("conversation", String(64), nullable=False),
            Column("at", DateTime(timezone=False), nullable=False),
            Column("gemeente", String(64), nullable=False, default=""),
            Column("lang", String(16), nullable=False, default=""),
            Column("role", String(32), nullable=False, default=""),
            Column("channel", String(32), nullable=False, default=""),
            Column("outcome", String(16), nullable=False),
            Column("places", JSON, nullable=False),
            Column("question", Text, nullable=False),
            Column("crisis", Boolean, nullable=False, default=False),
            Index(f"ix_{TURNS}_at", "at"),
            Index(f"ix_{TURNS}_conversation_at", "conversation", "at"),
        )
        turn_id = f"{schema}.{TURNS}.id" if schema else f"{TURNS}.id"
        self.feedback = Table(
            FEEDBACK,
            self.metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("conversation", String(64), nullable=False),
            Column("turn_id", Integer, ForeignKey(turn_id, ondelete="SET NULL"), nullable=True, unique=True),
            Column("at", DateTime(timezone=False), nullable=False),
            Column("helped", Boolean, nullable=False),
            Index(f"ix_{FEEDBACK}_at", "at"),
        )
        # A callback request in the queue: only the gemeente and the moment are readable; the name, the phone
        # number or e-mail, the question and the rest are one sealed value (wegwijzer.records.sealing).
        self.callbacks = Table(
            CALLBACKS,
            self.metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("at", DateTime(timezone=False), nullable=False),
            Column("gemeente", String(64), nullable=False),
            Column("sealed", Text, nullable=False),
            Index(f"ix_{CALLBACKS}_at", "at"),
        )
        # A web session whose token, first issued without a cookie, is bound to a browser's cookie from then on:
        # the token without the cookie no longer continues it (connectors/api/sessions.py). Only a keyed hash
        # of the random session id, never the id, the token or the cookie.
        self.bound_sessions = Table(
            BOUND_SESSIONS,
            self.metadata,
            Column("marker", String(64), primary_key=True),
            Column("at", DateTime(timezone=False), nullable=False),
            Index(f"ix_{BOUND_SESSIONS}_at", "at"),
        )
