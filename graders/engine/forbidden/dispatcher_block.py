"""Making the ATen operations behind forbidden built-ins fail inside the learner process.

A refusing kernel is registered over each operation (operations.py) at PyTorch's dispatcher,
for every dispatch key that has a kernel for it and for CompositeImplicitAutograd: whatever
way a call reaches the operation (any thread, no_grad or inference_mode, autocast, vmap,
TorchScript, torch.compile, torch.ops.aten, torch function modes switched off), it records
the use and raises. Installed before the learner's file is imported, never in the grader
process, whose reference computations use these operations.
"""

from collections.abc import Callable

REFUSED = (
    "{dotted} ({operation}) is PyTorch's own version of what this exercise asks you to "
    "write: it is not available while your code is graded."
)


def block_operations(behind: dict[str, str], record: Callable[[str], None]) -> None:
    """Make every operation of `behind` ({qualified operation: forbidden entry}, from
    operations.operations_behind) raise, calling `record` with its forbidden entry."""
    import torch

    keys = _dispatch_keys(torch)
    libraries: dict[str, object] = {}  # held only by the kernels, which the dispatcher holds
    for qualified, dotted in behind.items():
        namespace, name = qualified.split("::", 1)
        if namespace not in libraries:
            libraries[namespace] = torch._C._dispatch_library("IMPL", namespace, "", __file__, 0)
        kernel = _Refusal(dotted, qualified, record, libraries)
        with_kernels = {key for key in keys if _has_kernel(torch, qualified, key)}
        for key in sorted(with_kernels | {"CompositeImplicitAutograd"}):
            libraries[namespace].impl(name, key, kernel, False)


class _Refusal:
    """The kernel of one blocked operation: records its forbidden entry and raises.

    It holds the registrations (the libraries), and the dispatcher holds it: they last as
    long as the process, and no module-level name leads to them."""

    def __init__(self, dotted: str, operation: str, record: Callable, libraries: dict):
        self._dotted, self._operation = dotted, operation
        self._record, self._libraries = record, libraries

    def __call__(self, *args, **kwargs):
        self._record(self._dotted)
        raise RuntimeError(REFUSED.format(dotted=self._dotted, operation=self._operation))


def _dispatch_keys(torch) -> list[str]:
    """The names of every dispatch key a kernel can be registered for (not the markers of
    ranges such as StartOfDenseBackends)."""
    keys = []
    for key in torch._C.DispatchKey.__members__:
        try:
            torch._C._dispatch_has_kernel_for_dispatch_key("aten::add.Tensor", key)
        except RuntimeError:
            continue
        keys.append(key)
    return keys


def _has_kernel(torch, qualified: str, key: str) -> bool:
    return torch._C._dispatch_has_kernel_for_dispatch_key(qualified, key)
