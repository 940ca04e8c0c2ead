"""The learner process: the only place where learner code runs.

Started by process.py as `python -m course.graders.engine.learner.worker IMPL EXERCISE REQUEST_FD
REPLY_FD GRADER_PID [uid=N processes=N memory=BYTES]` (the last three in a sandbox, where
GRADER_PID is 0: sandbox.py). It first limits itself (it dies with the grader, its
output is capped, no core files: set here rather than in a preexec_fn, which is unsafe in
the grader's threaded process), imports torch, installs the forbidden-call guard, blocks the
forbidden operations at PyTorch's dispatcher, imports the learner's file, then answers probe
requests until its request channel closes. It produces outputs and gradients only; every
verdict is decided in the grader process.

Messages it sends, in order:
  {"kind": "torch_ready"}, then it waits for one request before importing the learner file
  (so the grader's own modules are loaded before any learner code runs),
  {"kind": "ready", "forbidden": [...]} or {"kind": "import_failed", "error": {...}}
  then one reply per request: {"kind": "value", "value": ...} or {"kind": "raised", "error": ...},
  each with "pid" and the forbidden calls seen while the probe ran.
"""

import math
import os
import sys
from pathlib import Path

from course.graders.engine.learner import limits, wire
from course.graders.engine.learner.loading import import_learner_file, learner_frames


def main(argv: list[str]) -> None:
    """Serve probe requests for one learner file."""
    impl_path, exercise_name, request_fd, reply_fd = argv[0], argv[1], int(argv[2]), int(argv[3])
    limits.limit_learner_process(grader_pid=int(argv[4]))
    sandbox = dict(option.split("=", 1) for option in argv[5:])  # uid, processes, memory
    import torch

    from course.graders.engine.forbidden import RuntimeGuard, block_operations, operations_behind
    from course.graders.kit.manifest import find_exercise

    torch.set_num_threads(1)
    if sandbox:
        limits.confine_to_sandbox_user(
            int(sandbox["uid"]), int(sandbox["processes"]), int(sandbox["memory"])
        )
    else:
        limits.limit_unisolated_learner()
    wire.write_message(reply_fd, {"kind": "torch_ready", "pid": os.getpid()})
    forbidden = find_exercise(exercise_name).forbidden
    operations = operations_behind(forbidden)  # read before the guard wraps the built-ins
    guard = RuntimeGuard(forbidden, operations)  # their decompositions too
    block_operations(operations, guard.record)  # in every thread and in TorchScript too
    try:
        wire.read_message(request_fd)  # the grader says when: after it has loaded its own code
    except wire.ChannelClosed:
        return
    try:
        learner_module = import_learner_file(Path(impl_path))
    except BaseException as error:  # noqa: BLE001 - SystemExit and KeyboardInterrupt too
        reply = {"kind": "import_failed", "error": describe_error(error, impl_path)}
        wire.write_message(reply_fd, {**reply, "pid": os.getpid()})
        return
    wire.write_message(reply_fd, {"kind": "ready", "pid": os.getpid(), "forbidden": guard.seen})
    probes: dict[str, object] = {}
    while True:
        try:
            request = wire.read_message(request_fd)
        except wire.ChannelClosed:
            return
        guard.seen.clear()
        try:
            probe = probes.get(request["source"]) or _compile_probe(request, torch)
            probes[request["source"]] = probe
            with guard.watching():
                value = probe(learner_module, *request["args"], **request["kwargs"])
            reply = {"kind": "value", "value": to_plain(value, torch)}
        except BaseException as error:  # noqa: BLE001 - SystemExit and KeyboardInterrupt too
            reply = {"kind": "raised", "error": describe_error(error, impl_path)}
        reply.update(pid=os.getpid(), forbidden=list(guard.seen))
        wire.write_message(reply_fd, reply)


def _compile_probe(request: dict, torch):
    namespace = {"torch": torch, "nn": torch.nn, "F": torch.nn.functional, "math": math}
    exec(compile(request["source"], f"<probe {request['name']}>", "exec"), namespace)
    return namespace[request["name"]]


def to_plain(value: object, torch) -> object:
    """`value` with tensors detached and copied and anything unknown described in words."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone().as_subclass(torch.Tensor)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        return type(value)(to_plain(item, torch) for item in value)
    if isinstance(value, dict):
        return {str(key): to_plain(item, torch) for key, item in value.items()}
    return {"__unsupported__": type(value).__name__, "repr": repr(value)[:200]}


def describe_error(error: BaseException, impl_path: str) -> dict:
    """The error as plain data, with only the frames from the learner's own files."""
    frames = [
        [os.path.basename(frame.filename), frame.lineno, frame.name, (frame.line or "").strip()]
        for frame in learner_frames(error, Path(impl_path).resolve().parent)
    ]
    try:
        message = str(error)
    except BaseException:  # noqa: BLE001 - a learner exception whose __str__ itself fails
        message = "<unprintable>"
    return {"type": type(error).__name__, "message": message[:2000], "frames": frames}


if __name__ == "__main__":
    main(sys.argv[1:])
