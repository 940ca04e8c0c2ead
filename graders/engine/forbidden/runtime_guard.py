"""The run-time guard: inside the learner process, every call of a forbidden Python function
or nn.Module is recorded and refused (it raises), whatever name it was reached by (built-ins
too, while a probe runs in this thread: the dispatcher block stops them in every thread).

Refused, not only recorded: the record travels back in the learner process's reply, which
learner code can rewrite (replacing torch.save, say); a call that raises computes nothing,
whatever the reply then says.
"""

import types

REFUSED = (
    "{dotted} is PyTorch's own version of what this exercise asks you to write: it is not "
    "available while your code is graded."
)


class RuntimeGuard:
    """Records and refuses calls of forbidden torch functions and modules in the learner process.

    Install it before the learner's file is imported. Modules are caught by wrapping their
    class's `forward`; Python functions by replacing every module attribute, decorator
    `__wrapped__`, closure cell and decomposition table entry that refers to them; built-in
    torch functions, by object or by operator name (torch.ops.aten.<name> too), by a
    TorchFunctionMode that is active while probes run. `operations` ({qualified operation:
    forbidden entry}, operations.operations_behind): their decompositions, PyTorch's own
    Python versions of them (torch._decomp: the LSTM in F.linear, sigmoid and tanh), count as
    forbidden Python functions too.
    """

    def __init__(self, forbidden: tuple[str, ...], operations: dict[str, str] | None = None):
        import torch
        from torch.overrides import TorchFunctionMode

        self.seen: list[str] = []
        self._builtin_names: dict[object, str] = {}
        self._operator_names: dict[str, str] = {}
        self._python_functions: dict[int, tuple[object, str]] = {}
        self._record = record = self.record  # bound now: still records once learner code
        guard = self  # rebinds guard.record (a mutant does, through the stack)

        class _RecordingMode(TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                name = guard._builtin_names.get(func) or guard._operator_names.get(
                    str(getattr(func, "__name__", "")).split(".")[0]
                )
                if name is not None:
                    record(name)
                return func(*args, **(kwargs or {}))

        self._mode_class = _RecordingMode
        for dotted in forbidden:
            target = resolve(dotted)
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
                # with torch function modes switched off; named by its first entry
                # (torch.lstm_cell, not torch._VF.lstm_cell), as operations_behind names it
                self._builtin_names.setdefault(target, dotted)
                self._operator_names.setdefault(dotted.rsplit(".", 1)[-1], dotted)
                self._python_functions.setdefault(id(target), (target, dotted))
        for function, dotted in _decompositions_of(operations or {}):
            self._python_functions[id(function)] = (function, dotted)
        self._replace_python_functions(forbidden)

    def record(self, dotted: str) -> None:
        """Note one call of a forbidden name."""
        if dotted not in self.seen:
            self.seen.append(dotted)

    def watching(self):
        """Context manager that also catches built-in torch functions while it is open."""
        return self._mode_class()

    def _wrap_forward(self, module_class: type, dotted: str) -> None:
        record = self._record

        def forward(module, *args, **kwargs):
            record(dotted)
            raise RuntimeError(REFUSED.format(dotted=dotted))

        module_class.forward = forward

    def _recording(self, function, dotted: str):
        import functools

        record = self._record

        @functools.wraps(function)
        def recording(*args, **kwargs):
            record(dotted)
            raise RuntimeError(REFUSED.format(dotted=dotted))

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
        parents = [resolve(dotted.rsplit(".", 1)[0]) for dotted in forbidden if "." in dotted]
        for module in [*sys.modules.values(), *parents]:
            namespace = getattr(module, "__dict__", None)
            name = getattr(module, "__name__", None)
            if not namespace or not isinstance(name, str) or not name.startswith("torch"):
                continue
            for attribute, value in list(namespace.items()):
                if id(value) in recordings and functions[id(value)][0] is value:
                    setattr(module, attribute, recordings[id(value)])
        for table in _decomposition_tables():
            for operation, value in list(table.items()):
                if id(value) in recordings and functions[id(value)][0] is value:
                    table[operation] = recordings[id(value)]


def _decomposition_tables() -> list[dict]:
    """PyTorch's Python versions of its operations, {operation: function}, every table."""
    from torch._decomp import global_decomposition_table

    return list(global_decomposition_table.values())


def _decompositions_of(operations: dict[str, str]) -> list[tuple[object, str]]:
    """(decomposition, forbidden entry) for each Python version of an operation of
    `operations` ({qualified operation: forbidden entry})."""
    found = []
    for table in _decomposition_tables():
        for operation, function in table.items():
            qualified = operation.name() if hasattr(operation, "name") else str(operation)
            if qualified in operations and hasattr(function, "__code__"):
                found.append((function, operations[qualified]))
    return found


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


def resolve(dotted: str) -> object | None:
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
