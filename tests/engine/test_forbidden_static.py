"""The static scan, in the grader process: PyTorch's own version of an exercise is found
through any import style and any alias of torch, code that reaches into the guard or could
hide a call from the grader is refused, and the ordinary idioms of correct code are not."""

import pytest

from course.graders.engine.forbidden import static_use_message, static_uses
from course.graders.kit.manifest import find_exercise
from course.graders.kit.paths import EXERCISES_DIR, solution_path
from tests.kit import EXERCISE_NAMES, variant_files, variant_to_grade

CLIPPING = ("torch.nn.utils.clip_grad_norm_", "torch.nn.utils.clip_grad")


@pytest.mark.parametrize(
    "line",
    [
        "from torch.nn.utils import clip_grad_norm_",
        "from torch.nn.utils.clip_grad import _get_total_norm",
        "import torch.nn.utils.clip_grad as helpers",
        "total = torch.nn.utils.clip_grad._get_total_norm",
        "clip = getattr(torch.nn.utils, 'clip_grad_norm_')",
    ],
)
def test_a_forbidden_name_or_module_is_found_whatever_the_import_style(line):
    (use,) = static_uses(f"import torch\n{line}\n", CLIPPING)
    assert (use.line, use.tampering) == (2, False)


@pytest.mark.parametrize(
    "line",
    [
        "with torch._C.DisableTorchFunction(): pass",
        "from torch.overrides import _pop_mode_temporarily",
        "import inspect; original = inspect.unwrap(f)",
        "original = f.__wrapped__",
        "inner = f.__closure__[0].cell_contents",
        "import gc; objects = gc.get_objects()",
        "guard = getattr(module, 'RuntimeGuard')",
        "from course.graders.engine import forbidden",
        "import sys; sys.setprofile(None)",
        # a review walked the stack to the worker's guard and switched its recording off:
        "import sys; frame = sys._getframe()",
        "frame = frame.f_back",
        "guard = frame.f_locals['guard']",
        "import inspect; here = inspect.currentframe()",
    ],
)
def test_code_reaching_into_the_guard_is_refused(line):
    uses = static_uses(f"import torch\nf = len\nmodule = torch\n{line}\n", CLIPPING)
    assert uses and all(use.tampering for use in uses), uses


def test_the_same_code_under_the_main_guard_is_the_learners_own_testing():
    source = (
        "import torch\n"
        "if __name__ == '__main__':\n"
        "    import inspect\n"
        "    torch.nn.utils.clip_grad_norm_([], 1.0)\n"
        "    print(inspect.unwrap(len))\n"
    )
    assert static_uses(source, CLIPPING) == []


def test_ordinary_exercise_code_is_not_flagged():
    source = (
        "import math\nimport torch\nfrom torch import nn\n"
        "def clip(parameters, max_norm):\n"
        "    grads = [p.grad for p in parameters if p.grad is not None]\n"
        "    total = torch.linalg.vector_norm(torch.stack([g.norm() for g in grads]))\n"
        "    return total, math.inf\n"
    )
    assert static_uses(source, CLIPPING) == []


LSTM = ("torch.nn.LSTMCell", "torch.nn.LSTM", "torch.lstm_cell", "torch._VF.lstm_cell")


@pytest.mark.parametrize(
    "code, reached",
    [
        ("T = torch\nT._VF.lstm_cell", "torch._VF.lstm_cell"),
        ("nn_ = torch.nn\nnn_.LSTMCell", "torch.nn.LSTMCell"),
        ("f = torch._VF\nf.lstm_cell", "torch._VF.lstm_cell"),
        ("import torch as T\nT._VF.lstm_cell", "torch._VF.lstm_cell"),
        ("from torch import _VF as V\nV.lstm_cell", "torch._VF.lstm_cell"),
        ("import os\na, b = os, torch\nb.nn.LSTM", "torch.nn.LSTM"),
        ("import os\nT = os\nT = torch\nT.lstm_cell", "torch.lstm_cell"),
        ("def step(t=torch._VF):\n    return t.lstm_cell", "torch._VF.lstm_cell"),
        ("def step(*, n=torch.nn):\n    return n.LSTMCell", "torch.nn.LSTMCell"),
        ("def vf():\n    return torch._VF\nvf().lstm_cell", "torch._VF.lstm_cell"),
        ("vf = lambda: torch._VF\nvf().lstm_cell", "torch._VF.lstm_cell"),
        ("modules = [torch]\nmodules[0].nn.LSTMCell", "torch.nn.LSTMCell"),
        ("modules = {'t': torch}\nmodules.get('t').lstm_cell", "torch.lstm_cell"),
        ("for t in (torch,):\n    t.lstm_cell", "torch.lstm_cell"),
        ("if (t := torch._VF):\n    t.lstm_cell", "torch._VF.lstm_cell"),
        ("class Cell:\n    def __init__(self):\n        self.t = torch\n"
         "    def step(self):\n        return self.t.lstm_cell", "torch.lstm_cell"),
        ("class Cell:\n    vf = torch._VF\n    def step(self):\n        return self.vf.lstm_cell",
         "torch._VF.lstm_cell"),
        ("getattr(torch, '_VF').lstm_cell", "torch._VF.lstm_cell"),
        ("vars(torch._VF)['lstm_cell']", "torch._VF.lstm_cell"),
        ("torch.__dict__['nn'].LSTM", "torch.nn.LSTM"),
        ("import sys\nsys.modules['torch.nn'].LSTMCell", "torch.nn.LSTMCell"),
        ("torch.ops.aten._thnn_fused_lstm_cell", "torch.ops.aten._thnn_fused_lstm_cell"),
        ("torch.nn.modules.rnn.LSTMCell", "torch.nn.modules.rnn.LSTMCell"),
    ],
)  # fmt: skip
def test_a_forbidden_name_is_found_through_any_alias_of_torch(code, reached):
    (use,) = static_uses(f"import torch\n{code}\n", LSTM)
    assert (use.forbidden, use.tampering) == (reached, False)


@pytest.mark.parametrize(
    "code, refused",
    [
        ("getattr(torch._VF, 'lstm' + '_cell')", "getattr(torch._VF, ...)"),
        ("T = torch\nname = 'x'\nkernel = getattr(T, name)", "getattr(T, ...)"),
        ("torch._VF.__dict__['lstm' + '_cell']", "torch._VF.__dict__"),
        ("vars(torch)['n' + 'n']", "vars(torch)"),
        ("torch._VF.__getattribute__('lstm_cell')", "torch._VF.__getattribute__"),
        ("import operator\noperator.attrgetter('l' + 'stm')(torch)", "attrgetter()"),
        ("lookup = getattr", "getattr"),
        ("def pick(owner, name):\n    return getattr(owner, name)", "getattr(owner, ...)"),
        ("def pick(owner):\n    return vars(owner)", "vars(owner)"),
        ("def pick(owner, name):\n    return owner.__dict__[name]", "owner.__dict__"),
        ("import inspect\nmembers = inspect.getmembers(torch.nn)", "getmembers"),
        ("import inspect\nheld = inspect.getclosurevars(torch.nn.Linear)", "getclosurevars"),
        ("import gc\nheld = gc.get_referents(torch.nn)", "get_referents"),
        ("import sys\nsys.modules['to' + 'rch']", "sys.modules"),
        ("globals()['__builtins__']", "globals"),
        ("import importlib\nimportlib.import_module('torch')", "importlib"),
        ("from importlib import import_module", "importlib"),
        ("t = __import__('tor' + 'ch')", "__import__"),
        ("x = eval('1')", "eval"),
        ("exec('x = 1')", "exec"),
        ("code = compile('1', 'f', 'eval')", "compile"),
        ("import builtins", "builtins"),
        ("import pickle", "pickle"),
        ("import threading\nthreading.Thread(target=print).start()", "threading"),
        ("from threading import Thread", "threading"),
        ("import _thread", "_thread"),
        ("from concurrent.futures import ThreadPoolExecutor", "concurrent"),
        ("import multiprocessing as mp", "multiprocessing"),
        ("import subprocess", "subprocess"),
        ("import os\nos.system('true')", "os.system"),
        ("unit = torch.jit.CompilationUnit('def f(x):\\n    return x\\n')", "torch.jit.CompilationUnit"),
        ("torch.jit._script.CompilationUnit", "torch.jit._script.CompilationUnit"),
        ("library = torch.library.Library('aten', 'IMPL')", "torch.library"),
        ("from torch.library import Library", "torch.library"),
        ("torch._C._dispatch_tls_set_dispatch_key_excluded", "torch._C"),
        ("import ctypes", "ctypes"),
        ("from torch.utils.cpp_extension import load_inline", "torch.utils.cpp_extension"),
    ],
)  # fmt: skip
def test_code_that_could_hide_a_call_from_the_grader_is_refused(code, refused):
    uses = static_uses(f"import torch\n{code}\n", LSTM)
    assert refused in [use.forbidden for use in uses] and all(use.tampering for use in uses), uses


@pytest.mark.parametrize(
    "code",
    [
        "x = torch.ones(2)\nsummed = getattr(x, 'sum')()",
        "activation = getattr(torch.nn, 'ReLU')()",
        "import math\nlabel = f'{math.pi:.2f}'",
        "model = torch.nn.Linear(2, 2)\nmodel.eval()",
        "fast = torch.compile(torch.nn.Linear(2, 2))",
        "import re\npattern = re.compile('a+')",
        "import copy\nstate = copy.deepcopy({'a': 1})",
        "x = torch.ones(2, 2)\ny = x.T @ x",
        "supported = torch.ops.mkldnn._is_mkldnn_bf16_supported()",
        "from torch.nn import functional as F\ny = F.softmax(torch.ones(2), dim=-1)",
        "import os\nfolder = os.path.join('a', 'b')",
    ],
)
def test_ordinary_idioms_are_not_refused(code):
    assert static_uses(f"import torch\n{code}\n", LSTM) == []


def test_the_refusal_names_the_line_and_why_in_one_sentence():
    uses = static_uses("import torch\n\n\nimport threading\n", LSTM)
    message = static_use_message(uses)
    assert message.startswith(
        "Your file uses threading on line 4, which runs code in other threads"
    )
    assert message.count(". ") == 0 and message.endswith(".")


@pytest.mark.parametrize(
    "exercise, path",
    [
        (name, path)
        for name in EXERCISE_NAMES
        for path in [solution_path(name), EXERCISES_DIR / f"{name}.py", *variant_files(name)]
    ],
    ids=lambda value: getattr(value, "stem", value),
)
def test_no_solution_stub_or_correct_variant_is_flagged(exercise, path, tmp_path):
    source = variant_to_grade(exercise, path, tmp_path).read_text(encoding="utf-8")
    assert static_uses(source, find_exercise(exercise).forbidden) == []
