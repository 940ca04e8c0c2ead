"""The static scan, in the grader process: PyTorch's own version of an exercise is found
through any import style, and code that reaches into the guard itself is refused."""

import pytest

from course.graders.engine.forbidden import static_uses

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
