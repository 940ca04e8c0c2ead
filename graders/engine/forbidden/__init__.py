"""Catching a learner who calls PyTorch's own version of what the exercise teaches.

Three nets, none deciding anything in the learner's favour:
- `static_uses` (static_scan.py) reads the learner's source in the grader process and finds
  forbidden names through any alias of torch, and refuses code that could hide them
  (threads, strings run as code, names built at run time, reaching into the guard);
  (learner_modules.py: in every file of the learner's folder that the graded one imports);
- `block_operations` (dispatcher_block.py) makes the ATen operations behind the forbidden
  built-ins fail inside the learner process, in every thread and in TorchScript too,
  recording each use;
- `RuntimeGuard` (runtime_guard.py) records, inside the learner process, every call of a
  forbidden Python function or module, whatever name it was reached by.
Forbidden entries are dotted names such as `torch.nn.LSTMCell` or `torch.lstm_cell`, or a
whole module such as `torch.nn.utils.clip_grad`: every function and every nn.Module class
defined in it or in its submodules, private ones and the originals behind their decorators
included.
"""

from course.graders.engine.forbidden.dispatcher_block import block_operations
from course.graders.engine.forbidden.learner_modules import static_uses_of_learner_files
from course.graders.engine.forbidden.operations import operations_behind
from course.graders.engine.forbidden.runtime_guard import RuntimeGuard
from course.graders.engine.forbidden.static_scan import StaticUse, static_use_message, static_uses

__all__ = [
    "block_operations",
    "operations_behind",
    "RuntimeGuard",
    "StaticUse",
    "static_use_message",
    "static_uses",
    "static_uses_of_learner_files",
]
