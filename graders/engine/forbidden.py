"""Catching a learner who calls PyTorch's own version of what the exercise teaches.

Two nets, both deciding nothing by themselves in the learner's favour:
- `static_uses` reads the learner's source (in the grader process) and finds references to a
  forbidden name through any torch import alias, `from ... import`, or `getattr(..., "name")`;
  code under `if __name__ == "__main__":` is the learner's own testing and is allowed.
- `RuntimeGuard` runs inside the learner process and records every call of a forbidden
  function or module, whatever name it was reached by.
Forbidden entries are dotted names such as `torch.nn.LSTMCell` or `torch.lstm_cell`, or a
whole module such as `torch.nn.utils.clip_grad`: every function and every nn.Module class
defined in it or in its submodules, private ones and the originals behind their decorators
included.
"""

import ast
import types
from dataclasses import dataclass

TAMPERING_NAMES = frozenset({
    "DisableTorchFunction", "DisableTorchFunctionSubclass", "TorchFunctionMode",
    "_pop_mode", "_pop_mode_temporarily", "_push_mode", "_set_torch_function_mode",
    "_get_current_function_mode", "_get_current_function_mode_stack", "unwrap", "__wrapped__",
    "__closure__", "cell_contents", "get_objects", "get_referrers", "RuntimeGuard", "graders",
    "setprofile", "settrace", "_getframe", "_current_frames", "currentframe", "getouterframes",
    "getinnerframes", "f_back", "f_locals", "f_globals", "tb_frame",
})  # fmt: skip
"""Names that only code reaching into the grader's guard needs: switching torch function
modes off, unwrapping decorated functions, walking closures, stack frames or the garbage
collector."""


@dataclass(frozen=True)
class StaticUse:
    """A reference to a forbidden name in the learner's source."""

    forbidden: str
    line: int
    tampering: bool = False


def static_uses(source: str, forbidden: tuple[str, ...]) -> list[StaticUse]:
    """References to any forbidden name outside the `__main__` block of `source`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    last_parts = {name.rsplit(".", 1)[-1]: name for name in forbidden}
    torch_aliases = _torch_aliases(tree)
    uses = []
    for node in _nodes_outside_main_block(tree):
        found = None
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("torch"):
            found = next((last_parts[a.name] for a in node.names if a.name in last_parts), None)
            found = found or next(
                (name for name in forbidden if f"{node.module}.".startswith(f"{name}.")), None
            )
        elif isinstance(node, ast.Import):
            found = next(
                (f for a in node.names for f in forbidden if f"{a.name}.".startswith(f"{f}.")),
                None,
            )
        elif isinstance(node, ast.Attribute) and node.attr in last_parts:
            if _root_name(node) in torch_aliases:
                found = last_parts[node.attr]
        elif isinstance(node, ast.Call) and _is_getattr_of_forbidden(node, last_parts):
            found = last_parts[node.args[1].value]
        if found:
            uses.append(StaticUse(found, node.lineno))
        elif _tampering_name(node):
            uses.append(StaticUse(_tampering_name(node), node.lineno, tampering=True))
    return uses


def _tampering_name(node: ast.AST) -> str | None:
    """The guard-tampering name this node mentions (as a name, attribute, import or string)."""
    if isinstance(node, ast.Attribute):
        names = [node.attr]
    elif isinstance(node, ast.Name):
        names = [node.id]
    elif isinstance(node, ast.alias):
        names = [*node.name.split("."), node.asname]
    elif isinstance(node, ast.ImportFrom):
        names = (node.module or "").split(".")
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        names = [node.value]
    else:
        return None
    return next((name for name in names if name in TAMPERING_NAMES), None)


def _torch_aliases(tree: ast.Module) -> set[str]:
    """Names bound to torch or one of its modules by the file's imports."""
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "torch":
                    aliases.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("torch"):
            aliases.update(alias.asname or alias.name for alias in node.names)
    return aliases


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_getattr_of_forbidden(node: ast.Call, last_parts: dict[str, str]) -> bool:
    return (
        isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and node.args[1].value in last_parts
    )


def _nodes_outside_main_block(tree: ast.Module):
    for statement in tree.body:
        if _is_main_guard(statement):
            continue
        yield from ast.walk(statement)


def _is_main_guard(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.If):
        return False
    test = statement.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


class RuntimeGuard:
    """Records calls of forbidden torch functions and modules inside the learner process.

    Install it before the learner's file is imported. Modules are caught by wrapping their
    class's `forward`; Python functions by replacing every module attribute, decorator
    `__wrapped__` and closure cell that refers to them; built-in torch functions, by object
    or by operator name (torch.ops.aten.<name> too), by a TorchFunctionMode that is active
    while probes run.
    """

    def __init__(self, forbidden: tuple[str, ...]):
        import torch
        from torch.overrides import TorchFunctionMode

        self.seen: list[str] = []
        self._builtin_names: dict[object, str] = {}
        self._operator_names: dict[str, str] = {}
        self._python_functions: dict[int, tuple[object, str]] = {}
        guard = self

        class _RecordingMode(TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                name = guard._builtin_names.get(func) or guard._operator_names.get(
                    str(getattr(func, "__name__", "")).split(".")[0]
                )
                if name is not None:
                    guard.record(name)
                return func(*args, **(kwargs or {}))

        self._mode_class = _RecordingMode
        for dotted in forbidden:
            target = _resolve(dotted)
            if target is None:
                continue
            if isinstance(target, types.ModuleType):
                for name, function in _functions_of_module(target):
                    self._python_functions[id(function)] = (function, name)
                for name, module_class in _module_classes_of_module(target, torch.nn.Module):
                    self._wrap_forward(module_class, name)
            elif isinstance(target, type) and issubclass(target, torch.nn.Module):
                self._wrap_forward(target, dotted)
            elif callable(target) and hasattr(target, "__code__"):
                self._python_functions[id(target)] = (target, dotted)
            elif callable(target):  # a built-in: caught by the mode, and by name when reached
                self._builtin_names[target] = dotted  # with torch function modes switched off
                self._operator_names[dotted.rsplit(".", 1)[-1]] = dotted
                self._python_functions[id(target)] = (target, dotted)
        self._replace_python_functions(forbidden)

    def record(self, dotted: str) -> None:
        """Note one call of a forbidden name."""
        if dotted not in self.seen:
            self.seen.append(dotted)

    def watching(self):
        """Context manager that also catches built-in torch functions while it is open."""
        return self._mode_class()

    def _wrap_forward(self, module_class: type, dotted: str) -> None:
        original = module_class.forward
        guard = self

        def forward(module, *args, **kwargs):
            guard.record(dotted)
            return original(module, *args, **kwargs)

        module_class.forward = forward

    def _recording(self, function, dotted: str):
        import functools

        guard = self

        @functools.wraps(function)
        def recording(*args, **kwargs):
            guard.record(dotted)
            return function(*args, **kwargs)

        del recording.__wrapped__  # inspect.unwrap must not lead back to the original
        self._builtin_names[recording] = dotted
        return recording

    def _replace_python_functions(self, forbidden: tuple[str, ...]) -> None:
        """Swap every reference to a forbidden function for a recording one: attributes of
        torch's modules (and of each forbidden name's own parent), `__wrapped__` of
        decorators, and closure cells."""
        import sys

        functions = dict(self._python_functions)
        for function, dotted in list(functions.values()):  # the originals behind decorators
            inner = getattr(function, "__wrapped__", None)
            while callable(inner) and hasattr(inner, "__code__") and id(inner) not in functions:
                functions[id(inner)] = (inner, dotted)
                inner = getattr(inner, "__wrapped__", None)
        recordings = {key: self._recording(f, dotted) for key, (f, dotted) in functions.items()}
        for function, _ in functions.values():
            if id(getattr(function, "__wrapped__", None)) in recordings:
                function.__wrapped__ = recordings[id(function.__wrapped__)]
            for cell in getattr(function, "__closure__", None) or ():
                try:
                    if id(cell.cell_contents) in recordings:
                        cell.cell_contents = recordings[id(cell.cell_contents)]
                except ValueError:  # an empty cell
                    continue
        parents = [_resolve(dotted.rsplit(".", 1)[0]) for dotted in forbidden if "." in dotted]
        for module in [*sys.modules.values(), *parents]:
            namespace = getattr(module, "__dict__", None)
            name = getattr(module, "__name__", None)
            if not namespace or not isinstance(name, str) or not name.startswith("torch"):
                continue
            for attribute, value in list(namespace.items()):
                if id(value) in recordings and functions[id(value)][0] is value:
                    setattr(module, attribute, recordings[id(value)])


def _functions_of_module(module: types.ModuleType) -> list[tuple[str, object]]:
    """(dotted name, function) for every Python function defined in `module` or below it."""
    return _defined_in(module, lambda value: isinstance(value, types.FunctionType))


def _module_classes_of_module(
    module: types.ModuleType, module_base: type
) -> list[tuple[str, type]]:
    """(dotted name, class) for every `module_base` subclass defined in `module` or below it."""
    return _defined_in(
        module,
        lambda value: (
            isinstance(value, type) and issubclass(value, module_base) and "forward" in vars(value)
        ),
    )


def _defined_in(module: types.ModuleType, wanted) -> list[tuple[str, object]]:
    """(dotted name, value) for every `wanted` value defined in `module` or a loaded submodule."""
    import sys

    prefix = module.__name__
    found = []
    for name, loaded in list(sys.modules.items()):
        if name != prefix and not name.startswith(prefix + "."):
            continue
        for attribute, value in list(getattr(loaded, "__dict__", {}).items()):
            if wanted(value) and getattr(value, "__module__", None) == name:
                found.append((f"{name}.{attribute}", value))
    return found


def _resolve(dotted: str) -> object | None:
    import importlib

    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                target = getattr(target, attribute)
        except AttributeError:
            return None
        return target
    return None


def static_use_message(uses: list[StaticUse]) -> str:
    """Why a file that `static_uses` flagged earns nothing, naming each use and its line."""
    tampering = [use for use in uses if use.tampering]
    if tampering:
        where = ", ".join(f"{use.forbidden} (line {use.line})" for use in tampering)
        return (
            f"Your file uses {where}: that reaches into how PyTorch dispatches calls or "
            "how the grader watches them, which no exercise needs, so no check can give "
            "points for this file. Remove it (testing code may go under "
            '`if __name__ == "__main__":`).'
        )
    where = ", ".join(f"{use.forbidden} (line {use.line})" for use in uses)
    return (
        f"Your file uses {where}: that is PyTorch's own version of what this exercise "
        "asks you to write, so this check cannot give points for it. Write it yourself "
        '(you may compare against it under `if __name__ == "__main__":`).'
    )
