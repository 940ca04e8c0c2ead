"""The limits around learner code: time, output, memory, processes, process lifetime, and
the sweep at the end.

The learner process limits itself before any learner code runs (it dies with the grader,
its output is capped, no core files; once torch is imported, its address space and its
user's processes are capped, in the sandbox or not). The grader process is the subreaper of everything
learner code starts: a learner's code may fork, call setsid() and outlive its process group,
and with PR_SET_CHILD_SUBREAPER such orphans are re-parented to the grader process instead
of init, so before the report is written every descendant can be found and killed: no
learner code is alive while the verdicts are written.
"""

import ctypes
import os
import resource
import signal
import time

TORCH_IMPORT_SECONDS = 180.0
"""A cold `import torch` on a fresh machine can take a minute; this is not the learner's time."""
OUTPUT_LIMIT_BYTES = 64 * 2**20
"""What learner code may print or write before the process is stopped."""
LEARNER_MEMORY_BYTES = 3 * 2**30
"""Address space learner code may take beyond what Python and torch took before it was
imported (address space, not memory in use: torch reserves far more than it touches)."""
UNISOLATED_PROCESS_HEADROOM = 256
"""Processes and threads learner code may start, unsandboxed, beyond those its user runs."""

_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_CAPBSET_DROP = 24
_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_NO_NEW_PRIVS = 38
_CAPABILITY_VERSION_3 = 0x20080522


def prctl(option: int, value: int) -> bool:
    """Linux's prctl(option, value); False where it is not available."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def keep_memory_private() -> None:
    """No process of the same user may read this one's memory or attach to it (/proc/PID/mem,
    ptrace): the grading processes hold the key that signs the verdicts."""
    prctl(_PR_SET_DUMPABLE, 0)


def become_subreaper() -> None:
    """Adopt orphaned descendants (Linux); elsewhere a no-op."""
    prctl(_PR_SET_CHILD_SUBREAPER, 1)


def limit_learner_process(grader_pid: int) -> None:
    """In the learner process, before learner code: die with the grader, cap what it may
    print or write, no core files. (Set here rather than in a preexec_fn, which is unsafe in
    the grader's threaded process.)"""
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if grader_pid and os.getppid() != grader_pid:  # the grader ended before the line above
        os._exit(1)  # (in a sandbox, grader_pid is 0: the sandbox dies with the grader)
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT_BYTES, OUTPUT_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def kill_all_descendants(rounds: int = 50) -> None:
    """SIGKILL and reap every child (adopted orphans included) until none is left."""
    for _ in range(rounds):
        children = _children(os.getpid())
        if not children:
            return
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        time.sleep(0.01)


def kill_process_tree(root: int, rounds: int = 50) -> None:
    """SIGKILL every live process below `root` until none is left, then `root` and its process
    group: for a grading process that cannot sweep its own descendants (it was stopped, or
    ran out of time). Processes are found through /proc, so stopped ones and those that left
    `root`'s session go too."""
    for _ in range(rounds):
        below = _descendants(root)
        if not below:
            break
        for pid in below:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.01)
    try:
        os.killpg(root, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _descendants(root: int) -> list[int]:
    """The live (not zombie) processes below `root`."""
    children: dict[int, list[int]] = {}
    for pid, (parent, state) in _processes().items():
        if state != b"Z":
            children.setdefault(parent, []).append(pid)
    found, frontier = [], [root]
    while frontier:
        below = children.get(frontier.pop(), [])
        found += below
        frontier += below
    return found


def _children(parent: int) -> list[int]:
    return [pid for pid, (ppid, _) in _processes().items() if ppid == parent]


def _processes() -> dict[int, tuple[int, bytes]]:
    """{pid: (parent pid, state letter)} of every process /proc shows."""
    processes = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return processes
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        processes[int(entry)] = (int(fields[1]), fields[0])
    return processes


def confine_to_sandbox_user(uid: int, processes: int, memory_bytes: int) -> None:
    """In a sandboxed learner process, once torch is imported and before learner code: cap
    processes and address space, then become `uid` for good (-1: stay), unable to regain
    privileges."""
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    address_space = _address_space_in_use() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    prctl(_PR_SET_NO_NEW_PRIVS, 1)
    if uid >= 0:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)


def limit_unisolated_learner(
    memory_bytes: int = LEARNER_MEMORY_BYTES, headroom: int = UNISOLATED_PROCESS_HEADROOM
) -> None:
    """In a learner process outside the sandbox, once torch is imported and before learner
    code: cap its address space at what it uses now plus `memory_bytes`, and the processes of
    its user at those running now plus `headroom`. RLIMIT_NPROC counts every process and
    thread of the user (so a busy user leaves learner code less), and does not bind root.
    As root, it then gives up every capability (drop_capabilities)."""
    address_space = _address_space_in_use() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    processes = _tasks_of_user(os.getuid()) + headroom
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    if os.geteuid() == 0:
        drop_capabilities()


def drop_capabilities() -> None:
    """Give up every capability for good (Linux), for a learner process running as root
    outside the sandbox. Root's CAP_SYS_PTRACE would let learner code read the memory of the
    grading processes, non-dumpable or not, and so the key that signs the verdicts; without
    it, root's learner code is held back as another user's would be. The bounding set goes
    first (while CAP_SETPCAP is still held), so that no program it runs gets them back; then
    the thread's own sets (the learner process's only thread: torch runs on one here)."""
    try:
        with open("/proc/sys/kernel/cap_last_cap") as last_capability:
            last = int(last_capability.read())
    except (OSError, ValueError):
        last = 63
    for capability in range(last + 1):
        prctl(_PR_CAPBSET_DROP, capability)
    prctl(_PR_SET_NO_NEW_PRIVS, 1)
    header = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0)
    nothing = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: twice 32 bits
    try:
        ctypes.CDLL(None, use_errno=True).capset(header, nothing)
    except (OSError, AttributeError):
        pass


def _tasks_of_user(uid: int) -> int:
    """Processes and threads whose real user is `uid`: what RLIMIT_NPROC counts."""
    tasks = 0
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if int(fields["Uid"].split()[0]) == uid:
            tasks += int(fields["Threads"])
    return tasks


def _address_space_in_use() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0
