"""Isolation for untrusted learner code: the learner process in a bubblewrap sandbox.

Inside, the learner process sees only what it needs, read-only: the system's libraries,
the Python installation and its packages, the kit, and the folder of the learner's own
file. Its only writable places are a private scratch folder, /tmp and /dev/shm, each in
memory and capped in size; everything else, the sandbox's own root, /dev and /proc/sys
included, is read-only. It has no network (a network namespace of its own,
loopback only), its own pid namespace and /proc (the grader's processes cannot be seen,
read or signalled), its own session, and it dies with the grader; when the sandbox ends,
every process in it ends. The worker then drops to an unprivileged user id of its own, with
no new privileges, and caps its memory and process count (limits.py) before any learner
code runs; where the machine lets the kit make control groups (SandboxGroup), memory and
process count are capped for the whole sandbox too.

Needs Linux, the `bwrap` program (Debian: bubblewrap) and permission to create namespaces.
`unavailable_reason()` says why not, for a one-line refusal; `instructor_isolation()` is
that refusal for the paths that grade other people's code.
"""

import functools
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from course.graders.engine.learner.limits import LEARNER_MEMORY_BYTES
from course.graders.kit.errors import UserError
from course.graders.kit.paths import SOLUTIONS_DIR, package_folder

SCRATCH = "/scratch"
"""The learner process's working folder, home and temporary folder inside the sandbox."""
ALLOW_UNISOLATED_VARIABLE = "COURSE_ALLOW_UNISOLATED"
"""`COURSE_ALLOW_UNISOLATED=1` accepts, where isolation is unavailable, the risk of grading
other people's code unisolated on a path with no flag of its own for it (nbgrader autograde;
Gradescope's run_autograder, where `course export gradescope --no-isolation` sets it)."""
SANDBOX_UID = 60000
"""Learner processes run as SANDBOX_UID + slot: one user per concurrent grading slot, so
one submission's processes never count against another's process limit."""


@dataclass(frozen=True)
class SandboxLimits:
    """What one learner process may use."""

    memory_bytes: int = LEARNER_MEMORY_BYTES
    """Address space beyond what Python and torch took before learner code was imported."""
    processes: int = 64
    """Processes and threads of the sandbox's user at once (torch's own threads included)."""
    disk_bytes: int = 256 * 2**20
    """Size of the scratch folder and of /tmp, each."""
    shared_memory_bytes: int = 64 * 2**20
    """Size of /dev/shm (POSIX shared memory and semaphores: multiprocessing, DataLoader)."""


@dataclass(frozen=True)
class Sandbox:
    """Run each learner process isolated: as the user of its grading slot (class grading,
    as root), or as the caller's own user without any capability (slot None: `course grade`)."""

    slot: int | None = None
    limits: SandboxLimits = SandboxLimits()

    @property
    def uid(self) -> int:
        """The user the worker becomes; -1: it stays the caller's."""
        return SANDBOX_UID + self.slot if self.slot is not None and os.geteuid() == 0 else -1

    def worker_options(self) -> list[str]:
        """What the worker needs to confine itself (worker.py)."""
        return [
            f"uid={self.uid}",
            f"processes={self.limits.processes}",
            f"memory={self.limits.memory_bytes}",
        ]


def unavailable_reason() -> str | None:
    """Why learner code cannot be isolated here (None: it can)."""
    return _probe()


def instructor_isolation(accepted: bool = False, accept_with: str = "") -> bool:
    """Whether a path that grades other people's code (class grading, nbgrader autograde,
    Gradescope) sandboxes it: True wherever it can; False where it cannot and the risk was
    accepted (`accepted`: the path's own flag, or COURSE_ALLOW_UNISOLATED=1). Otherwise
    raises UserError, one line naming the reason and `accept_with` (default: the variable)."""
    reason = unavailable_reason()
    if reason is None:
        return True
    if accepted or os.environ.get(ALLOW_UNISOLATED_VARIABLE) == "1":
        return False
    accept_with = accept_with or f"Set {ALLOW_UNISOLATED_VARIABLE}=1"
    raise UserError(
        f"cannot isolate learner code here: {reason}. {accept_with} to grade unisolated, "
        "only if you trust every submission."
    )


@functools.cache
def _probe() -> str | None:
    if not sys.platform.startswith("linux"):
        return f"isolation needs Linux namespaces; this is {sys.platform}"
    if shutil.which("bwrap") is None:
        return "isolation needs bubblewrap (`bwrap`), which is not installed (apt-get install bubblewrap)"
    try:
        probe = subprocess.run(
            ["bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--", "true"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start ({error})"
    if probe.returncode != 0:
        return f"bubblewrap cannot create namespaces here ({probe.stderr.strip()[:200]})"
    return None


def sandboxed(
    command: list[str],
    learner_folder: Path,
    sandbox: Sandbox,
    readable: tuple[Path, ...] = (),
    workdir: str = SCRATCH,
) -> list[str]:
    """`command` (the learner worker, or a notebook's kernel) wrapped in bwrap with the view
    described above; `readable`: more files or folders it may read; `workdir`: where it
    starts (the scratch folder, or a folder it may read)."""
    limits = sandbox.limits
    learner_folder = Path(learner_folder).resolve()
    folders = _outermost([
        *_system_folders(), Path(sys.base_prefix), Path(sys.prefix), *_package_folders(),
        *_kit_folders(), learner_folder, *(Path(path).resolve() for path in readable),
    ])  # fmt: skip
    # As root: namespaces without a user namespace, and the worker becomes the slot's user.
    # Otherwise: a user namespace too, and the worker stays the caller's user.
    namespaces = ["--unshare-user"] if os.geteuid() != 0 else []
    if os.geteuid() == 0 and sandbox.uid == -1:
        namespaces += ["--cap-drop", "ALL"]  # root by name only: no capability at all
    namespaces += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                   "--unshare-cgroup-try"]  # fmt: skip
    wrapper = [
        "bwrap", *namespaces, "--die-with-parent", "--new-session",
        # root by name may write most of /proc/sys (bwrap leaves it writable): not here
        "--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys",
        "--dev", "/dev", "--size", str(limits.shared_memory_bytes), "--perms", "1777",
        "--tmpfs", "/dev/shm",
        "--size", str(limits.disk_bytes), "--perms", "1777", "--tmpfs", "/tmp",
        "--size", str(limits.disk_bytes), "--perms", "1777", "--tmpfs", SCRATCH,
        # TMPDIR: a learner folder that is the caller's /tmp itself covers the sandbox's
        "--chdir", workdir, "--setenv", "HOME", SCRATCH, "--setenv", "TMPDIR", SCRATCH,
    ]  # fmt: skip
    parents = sorted({p for f in folders for p in f.parents if p != Path("/")}, key=str)
    for parent in parents:  # bwrap would make them 0700: unreadable once the worker drops root
        if not any(parent == f or f in parent.parents for f in folders):
            wrapper += ["--perms", "0755", "--dir", str(parent)]
    for folder in folders:
        if folder.is_symlink():
            wrapper += ["--symlink", str(folder.readlink()), str(folder)]
        elif folder.exists():
            wrapper += ["--ro-bind", str(folder), str(folder)]
    if learner_folder != SOLUTIONS_DIR and SOLUTIONS_DIR not in learner_folder.parents:
        # the references: out of sight (unless graded), on an empty folder nothing may fill
        wrapper += ["--tmpfs", str(SOLUTIONS_DIR), "--remount-ro", str(SOLUTIONS_DIR)]
    # what bwrap built in memory (the root, the folders above, /dev) is unbounded: read-only
    wrapper += ["--remount-ro", "/dev", "--remount-ro", "/"]
    return [*wrapper, "--", *command]


def _package_folders() -> list[Path]:
    """Installed packages this interpreter imports from, wherever they are (a virtual
    environment may take them from another one's site-packages); never the current folder."""
    return [
        Path(entry).resolve()
        for entry in sys.path
        if entry and ("site-packages" in entry or "dist-packages" in entry) and Path(entry).is_dir()
    ]


def _system_folders() -> list[Path]:
    """The operating system's programs and libraries (not /home, /root, /tmp, /work...)."""
    names = ("usr", "lib", "lib64", "lib32", "bin", "sbin", "etc/alternatives", "etc/ld.so.cache")
    return [Path("/") / name for name in names]


KIT_PACKAGES = ("cli", "exercises", "graders", "quiz")
"""What the learner process may read of the kit: not solutions/, which is hidden even where
it lies inside a folder the sandbox shows (an installed kit's site-packages)."""


def _kit_folders() -> list[Path]:
    """The folders of the kit's own packages the learner process needs (found, not imported)."""
    return [package_folder(package) for package in KIT_PACKAGES]


def _outermost(folders: list[Path]) -> list[Path]:
    """The folders, each once, without those inside another one of them."""
    unique = sorted({Path(folder) for folder in folders}, key=lambda path: len(path.parts))
    kept: list[Path] = []
    for folder in unique:
        if not any(folder == other or other in folder.parents for other in kept):
            kept.append(folder)
    return kept


class SandboxGroup:
    """The control groups one sandbox runs in, where this machine lets the kit make them:
    memory and process count are then limits of the whole sandbox, not of each process in it.
    With cgroup v1, a memory and a pids group below the caller's own (whatever limits the
    caller is under still hold); with v2, one group beside the caller's own (v2 lets only a
    group without processes of its own have limited children). Elsewhere `command()`
    returns the command unchanged and the per-process limits of limits.py are all there is."""

    ROOT = Path("/sys/fs/cgroup")
    MEMBERSHIP = Path("/proc/self/cgroup")
    """This process's groups, a line per hierarchy: `ID:CONTROLLERS:PATH` (v2: `0::PATH`)."""

    def __init__(self, limits: SandboxLimits):
        self.folders: list[Path] = []
        self.unified = (self.ROOT / "cgroup.controllers").is_file()
        settings = (
            {"": {"memory.max": limits.memory_bytes, "pids.max": limits.processes}}
            if self.unified
            else {
                "memory": {"memory.limit_in_bytes": limits.memory_bytes},
                "pids": {"pids.max": limits.processes},
            }
        )
        name = f"course-kit-{os.getpid()}-{id(self)}"
        try:
            for controller, values in settings.items():
                own = self._own_group(controller)
                folder = (own.parent if self.unified and own != self.ROOT else own) / name
                folder.mkdir()
                self.folders.append(folder)
                for setting, value in values.items():
                    (folder / setting).write_text(str(value))
        except (OSError, ValueError):
            self.remove()

    def _own_group(self, controller: str) -> Path:
        """This process's group in the hierarchy of `controller` ("": the v2 hierarchy)."""
        for line in self.MEMBERSHIP.read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if controller in controllers.split(","):  # "" only in v2's line, "0::PATH"
                return self.ROOT / controller / path.lstrip("/")
        raise ValueError(f"no {controller or 'v2'} control group")

    def command(self, command: list[str]) -> list[str]:
        """`command`, started inside the groups (a shell joins them, then becomes it)."""
        if not self.folders:
            return command
        join = " && ".join(f'echo $$ > "${index + 1}"' for index in range(len(self.folders)))
        procs = [str(folder / "cgroup.procs") for folder in self.folders]
        return ["/bin/sh", "-c", f'{join} && shift {len(procs)} && exec "$@"', "sh", *procs,
                *command]  # fmt: skip

    def ran_out_of_memory(self) -> bool:
        """Whether a process of the sandbox was refused memory (and killed for it)."""
        try:
            if self.unified and self.folders:
                events = (self.folders[0] / "memory.events").read_text().split()
                return int(dict(zip(events[::2], events[1::2])).get("oom_kill", 0)) > 0
            memory = [folder for folder in self.folders if "memory" in folder.parts]
            return bool(memory) and int((memory[0] / "memory.failcnt").read_text()) > 0
        except (OSError, ValueError):
            return False

    def remove(self) -> None:
        """Remove the groups once every process in them has ended."""
        for folder in self.folders:
            for _ in range(500):  # a sandbox of torch processes may take seconds to end
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)
        self.folders = []
