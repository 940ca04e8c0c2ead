"""The report channel: how the verdicts travel from the grading process to `course grade`.

The grading process writes its results once, at the end, into a pipe that only it holds
(learner processes never inherit it), signed with a key that was never on disk: the nonce
`course grade` sent it through another pipe. Learner code of this run is dead by then (the
reaper), and a process of another run that opens the pipe through /proc can only spoil
the report, which then fails closed: forging a verdict needs the key.
"""

import hashlib
import hmac
import json
import os
import select
import subprocess
import time
from collections.abc import Callable

LIMIT_BYTES = 32 * 2**20
"""More than any genuine report; whatever is beyond it is read and thrown away."""


def sign(results: dict, key: str) -> bytes:
    """The report as written by the grading process: the results and their signature."""
    body = json.dumps(results)
    mac = hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()
    return json.dumps({"body": body, "mac": mac}).encode()


def open_signed(data: bytes | None, key: str) -> dict:
    """The results in `data` if it is exactly one report signed with `key`; else {}."""
    try:
        report = json.loads(data)
        body, mac = report["body"], report["mac"]
        expected = hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, expected):
            return {}
        results = json.loads(body)
    except (TypeError, ValueError, KeyError, AttributeError):
        return {}
    return results if isinstance(results, dict) else {}


def collect(
    fd: int,
    process: subprocess.Popen,
    deadline: float,
    interrupted: Callable[[], bool] = lambda: False,
) -> bytes | None:
    """Everything written into the pipe `fd` until the writer closes it or `process` ends.

    Returns None when more than LIMIT_BYTES came, or at once when `interrupted()` (asked
    every 0.1 s at least). Returns at the deadline at the latest, and soon after `process`
    ends even if some other process still holds the pipe open.
    """
    chunks, size, ended = [], 0, False
    while (remaining := deadline - time.monotonic()) > 0:
        if interrupted():
            return None
        readable, _, _ = select.select([fd], [], [], 0 if ended else min(remaining, 0.1))
        if readable:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            size += len(chunk)
            if size <= LIMIT_BYTES:
                chunks.append(chunk)
        elif ended:
            break  # it wrote everything before it ended, and that has been read
        else:
            ended = process.poll() is not None
    return b"".join(chunks) if size <= LIMIT_BYTES else None
