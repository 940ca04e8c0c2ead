"""A notebook's kernel inside the sandbox (kernel_sandbox.py): it confines itself, then runs.

Run as `python_command("course.graders.notebooks.confined_kernel")` (the kit compiled from
its source, engine/source_only_import.py) with `PROCESSES MEMORY -m MODULE ARGS...` (the
kernelspec's command after its Python): limits itself as the engine's learner process does
(learner/limits.py: output and core files capped, no new privileges, at most PROCESSES
processes and MEMORY bytes beyond what Python and torch took), with torch imported first
(so the limit is the student's, whatever torch itself maps), then runs MODULE, the kernel, in
this process. The notebook's folder, where it starts, is off sys.path until then (-P): no
file there can stand in for the modules imported here; the kernel puts it on its path
afterwards, as Jupyter does.
"""

import os
import runpy
import sys

from course.graders.engine.learner import limits


def main(argv: list[str]) -> None:
    processes, memory, option, module, *kernel_args = argv
    if option != "-m":
        raise SystemExit(f"confined_kernel: expected `-m MODULE`, got {option!r}")
    limits.limit_learner_process(grader_pid=0)  # the sandbox dies with nbgrader
    import torch  # noqa: F401 - its address space is not the student's

    limits.confine_to_sandbox_user(-1, int(processes), int(memory))
    # In its pid namespace the kernel's parent is pid 1, which its parent poller would take
    # for nbgrader's end: the sandbox dies with nbgrader instead.
    os.environ.pop("JPY_PARENT_PID", None)
    sys.argv = [module, *kernel_args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
