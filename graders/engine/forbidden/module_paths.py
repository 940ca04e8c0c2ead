"""What the expressions of a learner's file stand for, when they stand for a module or
something in one: `T` after `T = torch` is `torch`, `V.lstm` after `from torch import _VF
as V` is `torch._VF.lstm`.

Read from the source alone, without running it, and without regard to scopes or order: a
name bound anywhere in the file to a module path (by an import, an assignment, a tuple
unpacking, a walrus, a `for` or `with` target, a default argument, a function or lambda
that returns it, an attribute such as `self.t = torch`) stands for it everywhere, and for
every path it is bound to. Containers of modules stand for their modules (`mods = [torch];
mods[0]`), and so do lookups by a string written out in the file (`getattr(torch, "nn")`,
`vars(torch)["nn"]`, `torch.__dict__["nn"]`, `sys.modules["torch.nn"]`).
"""

import ast
from collections import defaultdict

MAX_PASSES = 16
"""Binding passes over the file: enough for chains of aliases of aliases, and a bound on
self-referring ones (`x = x.y`)."""

CONTAINER_READS = frozenset({"get", "pop", "setdefault", "values", "copy"})
"""Methods that read a container: `d.get(k)` stands for what the container `d` holds."""


class ModulePaths:
    """The module paths that the names, attributes and calls of one file stand for."""

    def __init__(self, tree: ast.Module):
        self._names: dict[str, set[str]] = defaultdict(set)
        self._attributes: dict[str, set[str]] = defaultdict(set)  # "self.t" -> {"torch"}
        self._returns: dict[str, set[str]] = defaultdict(set)  # function name -> paths
        for _ in range(MAX_PASSES):
            if not self._bind_everything(tree):
                break

    def paths_of(self, node: ast.AST) -> set[str]:
        """The dotted module paths `node` stands for (`{"torch._VF.lstm_cell"}`), if any."""
        if isinstance(node, ast.Name):
            return set(self._names.get(node.id, ()))
        if isinstance(node, ast.Attribute):
            own = self._attributes.get(ast.unparse(node), set())
            return own | {f"{base}.{node.attr}" for base in self.paths_of(node.value)}
        if isinstance(node, ast.Subscript):
            return self._subscript_paths(node)
        if isinstance(node, ast.Call):
            return self._call_paths(node)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return _union(map(self.paths_of, node.elts))
        if isinstance(node, ast.Dict):
            return _union(map(self.paths_of, node.values))
        if isinstance(node, ast.IfExp):
            return self.paths_of(node.body) | self.paths_of(node.orelse)
        if isinstance(node, ast.BoolOp):
            return _union(map(self.paths_of, node.values))
        if isinstance(node, (ast.Starred, ast.NamedExpr, ast.Await)):
            return self.paths_of(node.value)
        return set()

    def looked_into(self, node: ast.AST) -> set[str] | None:
        """The module paths a lookup by string `node` looks into (`vars(torch)`,
        `torch.__dict__`; `{""}` for `sys.modules`), or None when `node` is no such lookup."""
        if isinstance(node, ast.Call) and called_name(node) == "vars" and node.args:
            return self.paths_of(node.args[0])
        if isinstance(node, ast.Attribute) and node.attr == "__dict__":
            return self.paths_of(node.value)
        if "sys.modules" in self.paths_of(node):
            return {""}
        return None

    # -- reading --------------------------------------------------------------------------
    def _subscript_paths(self, node: ast.Subscript) -> set[str]:
        looked_into = self.looked_into(node.value)
        if looked_into is None:
            return self.paths_of(node.value)  # an element of a container of modules
        key = written_string(node.slice)
        if key is None:
            return set()
        return {f"{base}.{key}" if base else key for base in looked_into}

    def _call_paths(self, node: ast.Call) -> set[str]:
        called = called_name(node)
        if called == "getattr" and len(node.args) >= 2:
            name = written_string(node.args[1])
            return {f"{base}.{name}" for base in self.paths_of(node.args[0])} if name else set()
        if called in ("__import__", "import_module") and node.args:
            return {written_string(node.args[0])} - {None}
        if isinstance(node.func, ast.Name):
            return set(self._returns.get(node.func.id, ()))
        if called in CONTAINER_READS and isinstance(node.func, ast.Attribute):
            container = node.func.value  # d.get("t") of d = {"t": torch}, sys.modules.get(...)
            if self.looked_into(container) is not None:
                return self._subscript_paths(
                    ast.Subscript(container, node.args[0] if node.args else ast.Constant(None))
                )
            return self.paths_of(container)
        return set()

    # -- binding --------------------------------------------------------------------------
    def _bind_everything(self, tree: ast.Module) -> bool:
        """One pass over every binding of the file; whether it bound anything new."""
        before = self._size()
        for node in ast.walk(tree):
            self._bind_node(node)
        return self._size() != before

    def _size(self) -> int:
        return sum(len(paths) for table in (self._names, self._attributes, self._returns)
                   for paths in table.values())  # fmt: skip

    def _bind_node(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                self._names[alias.asname or root].add(alias.name if alias.asname else root)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    self._names[alias.asname or alias.name].add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind(target, node.value)
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
            self._bind(node.target, node.value)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            self._bind(node.target, node.iter)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind(item.optional_vars, item.context_expr)
        elif isinstance(node, ast.ClassDef):
            self._bind_class_attributes(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._bind_defaults(node.args)
            if not isinstance(node, ast.Lambda):
                self._bind_returns(node)

    def _bind(self, target: ast.AST, value: ast.AST) -> None:
        if isinstance(value, ast.Lambda) and isinstance(target, ast.Name):
            self._returns[target.id] |= self.paths_of(value.body)
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            same_shape = isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(
                target.elts
            )
            for index, element in enumerate(target.elts):
                self._bind(element, value.elts[index] if same_shape else value)
            return
        paths = {path for path in self.paths_of(value) if path.count(".") < MAX_PASSES}
        if not paths:
            return
        while isinstance(target, (ast.Starred, ast.Subscript)):  # mods["t"] = torch
            target = target.value
        if isinstance(target, ast.Name):
            self._names[target.id] |= paths
        elif isinstance(target, ast.Attribute):
            self._attributes[ast.unparse(target)] |= paths

    def _bind_class_attributes(self, class_def: ast.ClassDef) -> None:
        """`class A: t = torch` binds `A.t`, and `self.t` and `cls.t` in its methods."""
        for statement in class_def.body:
            if isinstance(statement, ast.Assign):
                targets, value = statement.targets, statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets, value = [statement.target], statement.value
            else:
                continue
            paths = self.paths_of(value)
            for target in targets:
                if isinstance(target, ast.Name) and paths:
                    for owner in (class_def.name, "self", "cls"):
                        self._attributes[f"{owner}.{target.id}"] |= paths

    def _bind_defaults(self, arguments: ast.arguments) -> None:
        positional = [*arguments.posonlyargs, *arguments.args]
        with_defaults = positional[len(positional) - len(arguments.defaults) :]
        pairs = [*zip(with_defaults, arguments.defaults)]
        pairs += zip(arguments.kwonlyargs, arguments.kw_defaults)
        for argument, default in pairs:
            if default is not None:
                self._bind(ast.Name(id=argument.arg), default)

    def _bind_returns(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and node.value is not None:
                self._returns[function.name] |= self.paths_of(node.value)


def called_name(node: ast.Call) -> str | None:
    """The name a call is made by: `getattr(...)` and `operator.attrgetter(...)` alike."""
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def written_string(node: ast.AST) -> str | None:
    """The string `node` is when it is written out in the file, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _union(sets) -> set[str]:
    return set().union(*sets)
