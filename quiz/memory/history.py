"""The review log: every answer ever given, in SQLite, committed as it is given.

The log is the source of truth: the schedule, the statistics and the streak are all
computed from it. It lives in the user's data folder (platformdirs), or where
`--history` or the COURSE_QUIZ_HISTORY environment variable says. A history file that
cannot be read or written gives a warning and an in-memory log, so the quiz still runs.
"""

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

HISTORY_ENV = "COURSE_QUIZ_HISTORY"
"""Environment variable naming the history file; the --history option wins over it."""
HISTORY_FILE = "quiz-history.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    number      INTEGER PRIMARY KEY,
    entry_id    TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    grade       INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    reviewed_at TEXT    NOT NULL,
    session     TEXT    NOT NULL
)
"""


@dataclass(frozen=True)
class Review:
    """One answer in the log."""

    entry_id: str
    """The question's or the formula template's id."""
    topic: str
    """The topic when it was answered (the bank's current topic wins where it differs)."""
    kind: str
    """The question kind: single, multiple, numeric, text or open."""
    grade: int
    """FSRS rating 1-4: again, hard, good, easy."""
    correct: bool
    reviewed_at: datetime
    """Timezone-aware, UTC."""
    session: str
    """Id of the session it was given in."""


def default_history_path(explicit: Path | None = None) -> Path:
    """The history file: `explicit`, else $COURSE_QUIZ_HISTORY, else the user data folder."""
    if explicit is not None:
        return explicit
    if os.environ.get(HISTORY_ENV):
        return Path(os.environ[HISTORY_ENV])
    return Path(platformdirs.user_data_dir("course-kit", appauthor=False)) / HISTORY_FILE


class History:
    """The review log of one history file, or of memory when the file is unusable.

    `warning` is set (one line for the learner) when the file could not be used; after a
    failed write the log keeps the reviews in memory for the rest of the session.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warning: str | None = None
        self._unsaved: list[Review] = []
        try:
            self._connection: sqlite3.Connection | None = self._open(path)
        except (OSError, sqlite3.Error) as error:
            self._connection = None
            self.warning = (
                f"warning: the quiz history {path} cannot be used ({error}); "
                "answers of this session will not be saved"
            )

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path)
        try:
            connection.execute(_SCHEMA)
            connection.execute("SELECT count(*) FROM reviews").fetchone()
            # A write now, so that a read-only file is reported before the first answer.
            connection.execute("PRAGMA user_version = 1")
            connection.commit()
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    @property
    def saved(self) -> bool:
        """Whether reviews reach the file."""
        return self._connection is not None

    def record(self, review: Review) -> None:
        """Append one review and commit it at once, so that a crash loses nothing given."""
        if self._connection is None:
            self._unsaved.append(review)
            return
        try:
            self._connection.execute(
                "INSERT INTO reviews (entry_id, topic, kind, grade, correct, reviewed_at, session)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    review.entry_id, review.topic, review.kind, review.grade,
                    int(review.correct), review.reviewed_at.astimezone(UTC).isoformat(),
                    review.session,
                ),
            )  # fmt: skip
            self._connection.commit()
        except sqlite3.Error as error:
            self._unsaved.extend(self._read_saved())
            self._connection.close()
            self._connection = None
            self._unsaved.append(review)
            self.warning = (
                f"warning: could not write the quiz history {self.path} ({error}); "
                "the rest of this session will not be saved"
            )

    def reviews(self) -> list[Review]:
        """Every review, oldest first."""
        return sorted(self._read_saved() + self._unsaved, key=lambda review: review.reviewed_at)

    def _read_saved(self) -> list[Review]:
        if self._connection is None:
            return []
        try:
            rows = self._connection.execute(
                "SELECT entry_id, topic, kind, grade, correct, reviewed_at, session"
                " FROM reviews ORDER BY reviewed_at, number"
            ).fetchall()
        except sqlite3.Error as error:
            self.warning = f"warning: the quiz history {self.path} cannot be read ({error})"
            return []
        return [
            Review(entry_id, topic, kind, grade, bool(correct), datetime.fromisoformat(at), session)
            for entry_id, topic, kind, grade, correct, at, session in rows
        ]

    def close(self) -> None:
        """Close the file; later reviews are kept in memory only."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
