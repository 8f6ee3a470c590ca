"""User names are unique without regard to case: the migration that brings existing profiles
there (SQLite, as embedded mode runs it), and the key every lookup uses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from services.identity.domain.usernames import username_key
from shared.db.migrate import upgrade

IDENTITY = Path(__file__).resolve().parents[3] / "services" / "identity"
BEFORE = "f050a77eb196"  # the schema before username_key


def _profile(db: sqlite3.Connection, profile_id: str, username: str, created: str) -> None:
    db.execute("insert into profiles (id, username, password_hash, email, language, roles, "
               "name, phone, failed_sign_ins, totp_enabled, created_at) values "
               "(?, ?, 'x', 'a@example.ca', 'en', '', '', '', 0, 0, ?)",
               (profile_id, username, created))


def test_profiles_differing_only_by_case_keep_one_name_and_the_others_are_renamed(
        tmp_path: Path) -> None:
    path = tmp_path / "identity.db"
    upgrade(IDENTITY, f"sqlite+aiosqlite:///{path}", BEFORE)
    with sqlite3.connect(path) as db:
        _profile(db, "p1", "QA.Holder2", "2026-01-01 00:00:00.000000")
        _profile(db, "p2", "qa.holder2", "2026-02-01 00:00:00.000000")
        _profile(db, "p3", "qa.HOLDER2-2", "2026-03-01 00:00:00.000000")  # the suffix is taken
        _profile(db, "p4", "someone", "2026-04-01 00:00:00.000000")
    upgrade(IDENTITY, f"sqlite+aiosqlite:///{path}")
    with sqlite3.connect(path) as db:
        rows = dict((r[0], (r[1], r[2])) for r in db.execute(
            "select id, username, username_key from profiles"))
        renamed = db.execute("select profile_id, kind, detail from security_events").fetchall()
        assert rows == {"p1": ("QA.Holder2", "qa.holder2"),
                        "p2": ("qa.holder2-3", "qa.holder2-3"),
                        "p3": ("qa.HOLDER2-2", "qa.holder2-2"),
                        "p4": ("someone", "someone")}
        assert [(p, k) for p, k, _ in renamed] == [("p2", "username.renamed")]
        assert "qa.holder2 -> qa.holder2-3" in renamed[0][2]
        try:
            db.execute("insert into profiles (id, username, username_key, password_hash, "
                       "email, language, roles, name, phone, failed_sign_ins, totp_enabled, "
                       "created_at) values ('p5', 'SOMEONE', 'someone', 'x', 'a@example.ca', "
                       "'en', '', '', '', 0, 0, '2026-05-01 00:00:00.000000')")
        except sqlite3.IntegrityError as refused:
            assert "username_key" in str(refused)
        else:
            raise AssertionError("a second profile took a name in another case")


def test_the_key_ignores_case_and_surrounding_spaces() -> None:
    assert username_key(" QA.Holder2 ") == username_key("qa.holder2") == "qa.holder2"
