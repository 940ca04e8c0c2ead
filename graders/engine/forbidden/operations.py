"""The ATen operations behind the forbidden built-ins: what the dispatcher block stops.

Derived from PyTorch's own registry, not listed by hand: a forbidden entry that is a built-in
torch function (`torch.lstm_cell`, `torch._VF.lstm`, `torch._C._nn.scaled_dot_product_attention`)
names an operation, and every registered operation whose name contains that name as whole
words is behind it too: its overloads, its backward, its fused, backend and quantized
variants (`lstm_cell` brings `_thnn_fused_lstm_cell` and `quantized_lstm_cell`). Forbidden
modules and Python functions (`torch.nn.LSTMCell`) call these built-ins, so the manifest
lists the built-ins beside them. Read them before RuntimeGuard replaces the built-ins of
torch's modules by recording wrappers.
"""

import types

from course.graders.engine.forbidden.static_scan import contains_words


def operations_behind(forbidden: tuple[str, ...]) -> dict[str, str]:
    """{qualified operation (`aten::lstm.input`): the forbidden entry it is behind}, each
    operation under the first entry of `forbidden` that brings it."""
    import torch

    from course.graders.engine.forbidden.runtime_guard import resolve

    stems = {}
    for dotted in forbidden:
        target = resolve(dotted)
        if isinstance(target, types.BuiltinFunctionType):
            stems.setdefault(target.__name__, dotted)
    behind: dict[str, str] = {}
    for qualified in torch._C._dispatch_get_all_op_names():
        name = operation_name(qualified)
        dotted = next((d for stem, d in stems.items() if contains_words(name, stem)), None)
        if dotted is not None:
            behind[qualified] = dotted
    return behind


def operation_name(qualified: str) -> str:
    """`lstm` for `aten::lstm.input`: the name without its namespace and overload."""
    return qualified.split("::", 1)[-1].split(".", 1)[0]
