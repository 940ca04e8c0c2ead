"""The static scan: the learner's source read in the grader process, before any of it runs.

It finds references to a forbidden name through any alias of torch or of its modules
(module_paths.py), and refuses what no exercise needs and what could hide PyTorch's own
version from the grader (refused.py). Code under `if __name__ == "__main__":` is the
learner's own testing and is allowed.
"""

import ast
from dataclasses import dataclass

from course.graders.engine.forbidden.module_paths import ModulePaths, called_name, written_string
from course.graders.engine.forbidden.refused import (
    BUILDS_NAMES,
    DYNAMIC_ATTRIBUTES,
    NAME_LOOKUPS,
    REACHES_IN,
    REFUSED_BUILTINS,
    TAMPERING_NAMES,
    refused_path,
)


@dataclass(frozen=True)
class StaticUse:
    """A reference to a forbidden name in the learner's source, or to something refused.

    `forbidden`: the name as the file reaches it (`torch._VF.lstm_cell`, `threading`);
    `tampering`: refused whatever the exercise, `why` saying what it does."""

    forbidden: str
    line: int
    tampering: bool = False
    why: str = ""
    file: str = ""
    """The learner's file it is in, when not the graded one (learner_modules.py)."""

    @property
    def where(self) -> str:
        return f"line {self.line}" + (f" of {self.file}" if self.file else "")


def static_uses(source: str, forbidden: tuple[str, ...]) -> list[StaticUse]:
    """References to any forbidden name, and refused code, outside the `__main__` block."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    scan = _Scan(tree, forbidden)
    for statement in tree.body:
        if not is_main_guard(statement):
            scan.visit(statement)
    first_uses = {}
    for use in sorted(scan.uses, key=lambda use: use.line):
        first_uses.setdefault(use.forbidden, use)  # each name once, where it first appears
    return list(first_uses.values())


class _Scan:
    """One file's scan: each node checked once, an attribute chain as a whole."""

    def __init__(self, tree: ast.Module, forbidden: tuple[str, ...]):
        self.paths = ModulePaths(tree)
        self.forbidden = forbidden
        self.last_parts = {name.rsplit(".", 1)[-1]: name for name in forbidden}
        self.roots = {name.split(".")[0] for name in forbidden}
        self.uses: list[StaticUse] = []
        self._seen: set[int] = set()

    def visit(self, statement: ast.stmt) -> None:
        for node in ast.walk(statement):  # outer nodes first: a chain before its parts
            if id(node) not in self._seen:
                self._check(node)

    def _check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self._check_path(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                self._check_path(f"{node.module}.{alias.name}", node.lineno)
        elif isinstance(node, (ast.Attribute, ast.Subscript, ast.Name)):
            self._check_reference(node)
        elif isinstance(node, ast.Call):
            self._check_call(node)
        tampering = _tampering_name(node)
        if tampering:
            self._refuse(tampering, node, REACHES_IN)

    def _check_reference(self, node: ast.Attribute | ast.Subscript | ast.Name) -> None:
        if isinstance(node, ast.Name) and node.id in REFUSED_BUILTINS:
            if not self.paths.paths_of(node):  # not rebound by the file: the built-in itself
                self._refuse(node.id, node, REFUSED_BUILTINS[node.id])
            return
        if isinstance(node, ast.Name) and node.id == "getattr":
            self._refuse("getattr", node, BUILDS_NAMES)  # passed around, not called
            return
        if isinstance(node, ast.Attribute) and node.attr in DYNAMIC_ATTRIBUTES:
            # on anything: whatever an object holds leads on to modules, and to the guard
            self._refuse(f"{ast.unparse(node.value)}.{node.attr}", node, BUILDS_NAMES)
            return
        paths = self.paths.paths_of(node)
        for path in sorted(paths):
            if self._check_path(path, node.lineno):
                break
        if paths:
            self._mark_chain_seen(node)

    def _check_call(self, node: ast.Call) -> None:
        name = called_name(node)
        if name == "getattr" and isinstance(node.func, ast.Name):
            self._seen.add(id(node.func))  # a called getattr is judged by its arguments
        if name not in NAME_LOOKUPS or not node.args:
            return
        target = node.args[0]
        looked_up = node.args[1] if len(node.args) > 1 else None
        written = looked_up is not None and written_string(looked_up) is not None
        if name == "getattr" and written:
            self._check_forbidden_name(written_string(looked_up), node.lineno)
        if name in ("attrgetter", "methodcaller"):
            if not all(written_string(argument) is not None for argument in node.args):
                self._refuse(f"{name}()", node, BUILDS_NAMES)
        elif not written:  # on anything: `getattr(owner, name)` of a parameter `owner`
            more = ", ..." if looked_up is not None else ""
            self._refuse(f"{name}({ast.unparse(target)}{more})", node, BUILDS_NAMES)
            self._mark_chain_seen(target)

    def _check_path(self, path: str, line: int) -> bool:
        """Record a use if the module path `path` is forbidden or refused; whether it was."""
        if self._check_forbidden_path(path, line):
            return True
        refused = refused_path(path)
        if refused:
            self.uses.append(StaticUse(refused[0], line, tampering=True, why=refused[1]))
        return refused is not None

    def _check_forbidden_path(self, path: str, line: int) -> bool:
        parts = path.split(".")
        for name in self.forbidden:
            if path == name or path.startswith(name + "."):
                self.uses.append(StaticUse(path, line))
                return True
        if parts[0] in self.roots:  # a re-export or a variant: torch.nn.modules.rnn.LSTMCell
            for part in parts[1:]:
                if any(contains_words(part, last) for last in self.last_parts):
                    self.uses.append(StaticUse(path, line))
                    return True
        return False

    def _check_forbidden_name(self, name: str, line: int) -> None:
        if name in self.last_parts:
            self.uses.append(StaticUse(self.last_parts[name], line))

    def _refuse(self, name: str, node: ast.AST, why: str) -> None:
        self.uses.append(StaticUse(name, node.lineno, tampering=True, why=why))
        self._mark_chain_seen(node)

    def _mark_chain_seen(self, node: ast.AST) -> None:
        """The parts of a chain already judged as a whole: `torch._C._nn.x` is not judged
        again as `torch._C`."""
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Name, ast.Call)):
            self._seen.add(id(node))
            if isinstance(node, ast.Call):
                if called_name(node) != "getattr" or not node.args:
                    return
                self._seen.add(id(node.func))
                node = node.args[0]
            elif isinstance(node, ast.Name):
                return
            else:
                node = node.value


def contains_words(name: str, words: str) -> bool:
    """Whether `words` occurs in `name` as whole `_`-separated words: `lstm_cell` in
    `_thnn_fused_lstm_cell`, not `lstm` in `lstmish`."""
    name_words, wanted = name.strip("_").split("_"), words.strip("_").split("_")
    return any(
        name_words[start : start + len(wanted)] == wanted
        for start in range(len(name_words) - len(wanted) + 1)
    )


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


def is_main_guard(statement: ast.stmt) -> bool:
    """Whether `statement` is `if __name__ == "__main__":`."""
    if not isinstance(statement, ast.If):
        return False
    test = statement.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def static_use_message(uses: list[StaticUse]) -> str:
    """Why a file that `static_uses` flagged earns nothing: one sentence naming each use,
    its line and, for refused code, what it does."""
    refused = [use for use in uses if use.tampering]
    if refused:
        where = "; ".join(f"{use.forbidden} on {use.where}, which {use.why}" for use in refused)
        return (
            f"Your file uses {where}: no exercise needs that, so no check can give points for "
            'this file (remove it; testing code may go under `if __name__ == "__main__":`).'
        )
    where = ", ".join(f"{use.forbidden} ({use.where})" for use in uses)
    return (
        f"Your file uses {where}: that is PyTorch's own version of what this exercise "
        "asks you to write, so this check cannot give points for it (write it yourself; "
        'you may compare against it under `if __name__ == "__main__":`).'
    )
