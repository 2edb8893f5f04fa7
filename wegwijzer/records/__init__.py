"""Conversation records for the content team: what residents asked (redacted), what the assistant did, feedback.

store = RecordStore.from_settings()            # WEGWIJZER_DATABASE_URL, default SQLite var/wegwijzer.db; purges
store.record_turn(TurnRecord(conversation=sender_id, question=text, outcome="answered", ...))
store.record_feedback(sender_id, helped=True)
store.report(since, gemeente)
"""

from wegwijzer.records.model import OUTCOMES, PurgeResult, TurnRecord
from wegwijzer.records.store import RecordStore

__all__ = ["OUTCOMES", "PurgeResult", "RecordStore", "TurnRecord"]
