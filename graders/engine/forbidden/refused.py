"""What the static scan refuses besides the forbidden names themselves, and why.

Each entry is something no exercise needs and that could hide PyTorch's own version of an
exercise from the grader: code reaching into the grader's guard or into PyTorch's
dispatcher, code run out of sight (threads, other processes, strings run as code), and
names built at run time. A dotted entry covers everything below it (`importlib` covers
`importlib.util.spec_from_file_location`); module paths are followed through any alias.
"""

REACHES_IN = "reaches into how PyTorch dispatches calls or how the grader watches them"
RUNS_ELSEWHERE = "runs code in other threads or processes, out of the grader's sight"
RUNS_STRINGS = "runs code, or imports modules, named by strings the grader cannot read"
BUILDS_NAMES = "looks up a name built at run time, which the grader cannot read"

TAMPERING_NAMES = frozenset({
    "DisableTorchFunction", "DisableTorchFunctionSubclass", "TorchFunctionMode",
    "_pop_mode", "_pop_mode_temporarily", "_push_mode", "_set_torch_function_mode",
    "_get_current_function_mode", "_get_current_function_mode_stack", "unwrap", "__wrapped__",
    "__closure__", "cell_contents", "get_objects", "get_referrers", "RuntimeGuard", "graders",
    "setprofile", "settrace", "_getframe", "_current_frames", "currentframe", "getouterframes",
    "getinnerframes", "f_back", "f_locals", "f_globals", "tb_frame", "__globals__",
    "__subclasses__", "py_impl", "py_kernels", "getclosurevars", "getmembers",
    "getmembers_static", "get_field", "get_referents",
})  # fmt: skip
"""Names (as names, attributes, imports or strings) that only code reaching into the grader's
guard or PyTorch's dispatcher needs: switching torch function modes off, unwrapping decorated
functions, walking closures, stack frames, class trees, an object's members
(`inspect.getmembers`, `string.Formatter().get_field`) or the garbage collector."""

REFUSED_PATHS = {
    **dict.fromkeys(
        ("torch._C", "torch.library", "torch._library", "torch._ops", "torch.overrides",
         "torch.utils._python_dispatch", "torch.ops.load_library", "torch.ops.import_module",
         "ctypes", "cffi"),
        REACHES_IN,
    ),
    **dict.fromkeys(
        ("threading", "_thread", "concurrent", "multiprocessing", "torch.multiprocessing",
         "asyncio", "subprocess", "pty", "os.system", "os.popen", "os.posix_spawn",
         "os.posix_spawnp", "os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv",
         "os.execve", "os.execvp", "os.execvpe", "os.spawnl", "os.spawnle", "os.spawnlp",
         "os.spawnlpe", "os.spawnv", "os.spawnve", "os.spawnvp", "os.spawnvpe"),
        RUNS_ELSEWHERE,
    ),
    **dict.fromkeys(
        ("importlib", "runpy", "pkgutil", "zipimport", "code", "codeop", "builtins", "pickle",
         "_pickle", "marshal", "copyreg", "shelve", "dill", "cloudpickle", "pydoc",
         "torch.jit.CompilationUnit", "torch.jit.load", "torch.jit._", "torch.package",
         "torch.hub", "torch.utils.cpp_extension"),
        RUNS_STRINGS,
    ),
    **dict.fromkeys(("sys.modules",), BUILDS_NAMES),
}  # fmt: skip
"""Modules and module attributes refused wherever they are reached; an entry ending in `_`
covers every private name there (`torch.jit._` covers `torch.jit._script`)."""

REFUSED_BUILTINS = {
    **dict.fromkeys(("eval", "exec", "compile", "__import__", "__loader__"), RUNS_STRINGS),
    **dict.fromkeys(("globals", "__builtins__"), BUILDS_NAMES),
}  # fmt: skip
"""Built-in names refused wherever they appear (called or passed around), unless the file
binds the name to a module attribute itself (`from torch import compile`)."""

NAME_LOOKUPS = frozenset({"getattr", "vars", "attrgetter", "methodcaller", "getattr_static"})
"""Functions that look an attribute up by a string: refused, on a module or on anything else
(a function's parameter may hold any object), when the string is not written out in the
file."""

DYNAMIC_ATTRIBUTES = frozenset({"__dict__", "__getattribute__", "__getattr__"})
"""Attributes that look names up by strings: refused on anything, except a module's
subscripted with a string written out in the file (`torch.__dict__["nn"]`)."""


def refused_path(path: str) -> tuple[str, str] | None:
    """(what is refused, why) when the module path `path` is refused: `("threading", ...)`
    for `threading.Thread`, the path itself under an entry ending in `_`."""
    for refused, why in REFUSED_PATHS.items():
        if refused.endswith("_") and path.startswith(refused):
            return path, why
        if path == refused or path.startswith(refused + "."):
            return refused, why
    return None
