"""The kernel nbgrader autograde runs a student's notebook in, sandboxed like learner code.

At `nbgrader autograde` the student's notebook runs in a Jupyter kernel: their answer cells
and any cell they added are learner code, so the kernel runs in the sandbox of the engine's
learner process (engine/learner/sandbox.py): its own pid namespace and /proc, no network,
everything read-only but its private scratch space, memory and processes capped, and all it
started ended with it. It may read the notebook's folder, where it starts, and the student's
submitted folder (the notebooks whose answer cells another notebook builds on).

Jupyter talks to a kernel over ZeroMQ sockets. Without a network they are Unix sockets
(transport "ipc") that the kernel makes in the sandbox's scratch folder, and nbgrader's
process reaches them through /proc/<pid>/root of the sandbox: the kernel writes nowhere
outside it, not even the folder of its sockets. The kernel confines itself before any cell runs
(confined_kernel.py); an interrupt (a cell past its time limit) is sent to the kernel itself,
which runs in a session of its own.
"""

import os
import signal
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

from course.graders.engine.learner.sandbox import SCRATCH, Sandbox, SandboxGroup, sandboxed
from course.graders.engine.source_only_import import python_command
from course.graders.notebooks.answers import SUBMISSION_VARIABLE

SOCKETS = f"{SCRATCH}/kernel"
"""The kernel's sockets inside the sandbox: SOCKETS-1, SOCKETS-2, ... (ZeroMQ's ipc naming)."""
STARTED_WITHIN_SECONDS = 30.0
"""How long bwrap may take to set the sandbox up before the kernel's start counts as failed."""


class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager (nbclient's) whose kernel runs in a sandbox."""

    sandbox = Sandbox()

    def __init__(self, **kwargs) -> None:
        super().__init__(transport="ipc", **kwargs)
        self._group: SandboxGroup | None = None
        self._sandbox_pid: int | None = None

    async def _async_pre_start_kernel(self, **kwargs) -> tuple[list[str], dict]:
        self.ip = SOCKETS  # the kernel's view, written into the connection file it reads
        return await super()._async_pre_start_kernel(**kwargs)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kwargs) -> None:
        notebook_folder = Path(kwargs.get("cwd") or os.getcwd()).resolve()
        readable = [Path(self.connection_file)]
        if os.environ.get(SUBMISSION_VARIABLE):
            readable.append(Path(os.environ[SUBMISSION_VARIABLE]))
        limits = self.sandbox.limits
        confined = [*python_command("course.graders.notebooks.confined_kernel"),
                    str(limits.processes), str(limits.memory_bytes), *kernel_cmd[1:]]  # fmt: skip
        self._group = SandboxGroup(limits)
        command = self._group.command(
            sandboxed(confined, notebook_folder, self.sandbox, tuple(readable),
                      workdir=str(notebook_folder))
        )  # fmt: skip
        await super()._async_launch_kernel(command, **kwargs)
        self._sandbox_pid = _child_of(self.provisioner.pid)
        if self._sandbox_pid is None:
            raise RuntimeError(f"the kernel's sandbox did not start: {' '.join(command[:3])}...")
        self.ip = f"/proc/{self._sandbox_pid}/root{SOCKETS}"  # nbgrader's view of the same

    async def _async_signal_kernel(self, signum: int) -> None:
        """The signal to the kernel itself (bwrap's own processes pass none on)."""
        kernel = _child_of(self._sandbox_pid, wait=0) if self._sandbox_pid else None
        if kernel is None or signum == signal.SIGKILL:
            await super()._async_signal_kernel(signum)
            return
        try:
            os.kill(kernel, signum)
        except ProcessLookupError:
            pass

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._group is not None:
            self._group.remove()
            self._group = None


def _child_of(pid: int, wait: float = STARTED_WITHIN_SECONDS) -> int | None:
    """The first child of process `pid` (bwrap's: the sandbox's first process, then the
    kernel), waiting up to `wait` seconds for it to start."""
    deadline = time.monotonic() + wait
    while True:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return None
        if children or time.monotonic() >= deadline:
            return int(children[0]) if children else None
        time.sleep(0.01)
