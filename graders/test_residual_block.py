"""Grader for exercises/residual_block.py: a ResNet block with BatchNorm (course notes §2, §3).

Probes (the plain functions below whose first argument is `impl`) run in the learner
process and only return tensors and state_dicts; every check compares them here with a
block written from PyTorch's own functional layers (F.conv2d, F.batch_norm) loaded with
the same weights.
"""

import torch
import torch.nn.functional as F
from torch import nn

from course.graders.engine.checks import check
from course.graders.engine.compare import (
    CheckFailed,
    expect_close,
    expect_gradients,
    expect_pair,
    expect_shape,
)
from course.graders.engine.learner.process import LearnerRaised

BATCH, SIZE = 4, 8
BN_EPS, BN_MOMENTUM = 1e-5, 0.1


# -- probes: run in the learner process, sent as source: they use only their arguments ----
def output_shape(impl, in_channels, out_channels, stride, size):
    torch.manual_seed(0)
    block = impl.ResidualBlock(in_channels, out_channels, stride)
    with torch.no_grad():
        return tuple(block(torch.randn(2, in_channels, size, size)).shape)


def layout(impl, in_channels, out_channels, stride):
    def shortcut_outputs(shortcut):
        """What the shortcut holds, and returns for a float32 x in train mode and a float64 x
        in eval mode, with the gradient of the sum of its output."""
        if not isinstance(shortcut, nn.Module):
            return None
        held = sum(t.numel() for t in [*shortcut.parameters(), *shortcut.buffers()])
        calls = []
        for dtype, training in ((torch.float32, True), (torch.float64, False)):
            generator = torch.Generator().manual_seed(1)
            x = 3 * torch.randn(2, in_channels, 5, 5, generator=generator, dtype=dtype)
            leaf = x.clone().requires_grad_()
            shortcut.train(training)
            out = shortcut(leaf.clone())  # a clone: an in-place shortcut must not fail here
            grad = None
            if isinstance(out, torch.Tensor) and out.requires_grad:
                grad = torch.autograd.grad(out.sum(), leaf, allow_unused=True)[0]
            if isinstance(out, torch.Tensor):
                out = out.detach()
            calls.append({"x": x, "out": out, "grad": grad})
        return {"held": held, "calls": calls}

    def as_list(value):  # a module of the learner's own may hold an int or anything else
        return list(value) if isinstance(value, (tuple, list)) else repr(value)

    block = impl.ResidualBlock(in_channels, out_channels, stride)
    modules = dict(block.named_modules())
    convolutions = {}
    for name in ("conv1", "conv2", "shortcut.0"):
        if name in modules:
            conv = modules[name]
            padding = getattr(conv, "padding", None)
            convolutions[name] = {
                "type": type(conv).__name__,
                "kernel_size": as_list(getattr(conv, "kernel_size", [])),
                "stride": as_list(getattr(conv, "stride", [])),
                "padding": padding if isinstance(padding, str) else as_list(padding or []),
                "bias": getattr(conv, "bias", None) is not None,
            }
    result = {
        "state": {name: list(tensor.shape) for name, tensor in block.state_dict().items()},
        "parameters": sum(parameter.numel() for parameter in block.parameters()),
        "shortcut": type(getattr(block, "shortcut", None)).__name__,
        "convolutions": convolutions,
    }
    if stride == 1 and in_channels == out_channels:
        result["shortcut_of"] = shortcut_outputs(getattr(block, "shortcut", None))
    return result


def run_block(impl, state_dict, x, stride, training):
    block = impl.ResidualBlock(x.shape[1], state_dict["conv1.weight"].shape[0], stride)
    block = block.to(x.dtype)
    block.load_state_dict(state_dict)
    block.train(training)
    with torch.no_grad():
        out = block(x)
    return out, block.state_dict()


def block_gradients(impl, state_dict, x, stride, grad_out):
    block = impl.ResidualBlock(x.shape[1], state_dict["conv1.weight"].shape[0], stride)
    block = block.to(x.dtype)
    block.load_state_dict(state_dict)
    block.train()
    leaf = x.clone().requires_grad_()
    out = block(leaf)
    if not getattr(out, "requires_grad", False):
        return "no graph"
    if out.shape == grad_out.shape:  # = out.backward(grad_out), without torch importing sympy
        (out * grad_out).sum().backward()
    else:
        out.backward(grad_out)  # torch's own error for the wrong shape
    grads = {"input": leaf.grad}
    grads.update({name: parameter.grad for name, parameter in block.named_parameters()})
    return grads


def silenced_branch(impl, x):
    block = impl.ResidualBlock(x.shape[1])
    with torch.no_grad():
        block.bn2.weight.zero_()
        block.bn2.bias.zero_()
    block.eval()
    leaf = x.clone().requires_grad_()
    out = block(leaf)
    if not getattr(out, "requires_grad", False):
        return out, None
    out.sum().backward()
    return out.detach(), leaf.grad


def deep_stack(impl, channels, depth, x, grad_out):
    torch.manual_seed(0)
    blocks = [impl.ResidualBlock(channels) for _ in range(depth)]
    leaf = x.clone().requires_grad_()
    out = leaf
    for block in blocks:
        block.eval()
        out = block(out)
    if getattr(out, "requires_grad", False) and out.shape == grad_out.shape:
        (out * grad_out).sum().backward()  # = out.backward(grad_out), without sympy
    elif getattr(out, "requires_grad", False):
        out.backward(grad_out)  # torch's own error for the wrong shape
    return [block.state_dict() for block in blocks], leaf.grad


NO_GRAPH = (
    "your block's output has no graph back to its input: the computation is detached "
    "somewhere (.detach(), .data, torch.no_grad, or a new tensor made from its values)"
)
"""What the gradient probes say when the output does not require grad."""


# -- the reference, from PyTorch's functional layers, and known mistakes ----------------
def batch_norm(x, state, prefix, training, settings=(BN_EPS, BN_MOMENTUM)):
    """F.batch_norm with the block's own parameters; updates copies of the running stats."""
    mean, var = state[f"{prefix}.running_mean"].clone(), state[f"{prefix}.running_var"].clone()
    eps, momentum = settings
    out = F.batch_norm(x, mean, var, state[f"{prefix}.weight"], state[f"{prefix}.bias"],
                       training, momentum, eps)  # fmt: skip
    return out, {f"{prefix}.running_mean": mean, f"{prefix}.running_var": var}


def reference_parts(state, x, stride, training, settings=(BN_EPS, BN_MOMENTUM)):
    """The block's pieces: main path before the final ReLU, shortcut(x), updated stats.

    `settings`: BatchNorm's (eps, momentum), PyTorch's defaults unless a mistake is computed.
    """
    out, stats = batch_norm(F.conv2d(x, state["conv1.weight"], stride=stride, padding=1),
                            state, "bn1", training, settings)  # fmt: skip
    hidden = torch.relu(out)
    main, more = batch_norm(
        F.conv2d(hidden, state["conv2.weight"], padding=1), state, "bn2", training, settings
    )
    stats.update(more)
    if "shortcut.0.weight" in state:
        projected = F.conv2d(x, state["shortcut.0.weight"], stride=stride)
        skip, more = batch_norm(projected, state, "shortcut.1", training, settings)
        stats.update(more)
    else:
        skip = x
    return main, skip, stats


def reference_block(state, x, stride, training, settings=(BN_EPS, BN_MOMENTUM)):
    main, skip, stats = reference_parts(state, x, stride, training, settings)
    return torch.relu(main + skip), stats


BN_DEFAULTS = "use nn.BatchNorm2d(C_out) with its defaults, eps=1e-5 and momentum=0.1"
MISTAKEN_BN_SETTINGS = {
    f"BatchNorm uses eps=1e-3 (Keras' default); {BN_DEFAULTS}": (1e-3, BN_MOMENTUM),
    f"BatchNorm uses eps=1e-4; {BN_DEFAULTS}": (1e-4, BN_MOMENTUM),
    f"BatchNorm uses momentum=0.99 (Keras' momentum means the opposite); {BN_DEFAULTS}": (
        BN_EPS,
        0.99,
    ),
    f"BatchNorm uses momentum=0.01; {BN_DEFAULTS}": (BN_EPS, 0.01),
}
"""A mistake in BatchNorm's settings, in words -> the (eps, momentum) it uses."""


def mistaken_outputs(state, x, stride, training) -> dict[str, torch.Tensor]:
    """What the block would return for the mistakes learners make most often."""
    main, skip, _ = reference_parts(state, x, stride, training)
    return {
        "the final ReLU is missing: the output is main(x) + shortcut(x) without ReLU": main + skip,
        "the skip is added after the ReLU instead of before it: ReLU(main) + x": torch.relu(main)
        + skip,
        "the main path gets its own ReLU before the addition: ReLU(ReLU(main) + x)": torch.relu(
            torch.relu(main) + skip
        ),
        "the skip connection is missing: the output is ReLU(main(x))": torch.relu(main),
    }


def random_weights(in_channels, out_channels, stride, seed, dtype=torch.float32) -> dict:
    """Weights for every state_dict entry, with non-trivial BatchNorm parameters and statistics."""
    generator = torch.Generator().manual_seed(seed)

    def draw(*shape, low=None):
        values = torch.randn(*shape, generator=generator, dtype=dtype)
        return values if low is None else low + values.abs()

    def bn(prefix, channels):
        return {f"{prefix}.weight": draw(channels, low=0.5), f"{prefix}.bias": draw(channels),
                f"{prefix}.running_mean": draw(channels), f"{prefix}.running_var": draw(channels, low=0.5),
                f"{prefix}.num_batches_tracked": torch.tensor(3)}  # fmt: skip

    state = {"conv1.weight": draw(out_channels, in_channels, 3, 3) * 0.3, **bn("bn1", out_channels),
             "conv2.weight": draw(out_channels, out_channels, 3, 3) * 0.3, **bn("bn2", out_channels)}  # fmt: skip
    if stride != 1 or in_channels != out_channels:
        state["shortcut.0.weight"] = draw(out_channels, in_channels, 1, 1)
        state.update(bn("shortcut.1", out_channels))
    return state


def random_input(channels, seed, dtype=torch.float32, size=SIZE) -> torch.Tensor:
    return torch.randn(
        BATCH, channels, size, size, generator=torch.Generator().manual_seed(seed), dtype=dtype
    )


def expected_layout(in_channels, out_channels, stride) -> dict:
    shapes = {
        name: list(tensor.shape)
        for name, tensor in random_weights(in_channels, out_channels, stride, 0).items()
    }
    parameters = sum(n for name, shape in shapes.items() if name.endswith(("weight", "bias"))
                     for n in [torch.Size(shape).numel()])  # fmt: skip
    return {"state": shapes, "parameters": parameters}


def compare_block(learner, in_channels, out_channels, stride, training, seed, size=SIZE):
    state = random_weights(in_channels, out_channels, stride, seed)
    x = random_input(in_channels, seed + 1, size=size)
    mode = "train mode (batch statistics)" if training else "eval mode (running statistics)"
    call = f"ResidualBlock({in_channels}, {out_channels}, stride={stride}) on x of shape {tuple(x.shape)}"
    got = learner.run(run_block, state, x, stride, training)
    output, learner_state = expect_pair(got, "the probe's result")
    expected, expected_stats = reference_block(state, x, stride, training)
    likely_causes = mistaken_outputs(state, x, stride, training)
    mistaken_stats = {}
    for cause, settings in MISTAKEN_BN_SETTINGS.items():
        likely_causes[cause], mistaken_stats[cause] = reference_block(
            state, x, stride, training, settings
        )
    hint = "check the order conv1 -> bn1 -> ReLU -> conv2 -> bn2, then + shortcut(x), then ReLU"
    if "shortcut.0.weight" in state:
        hint = (
            "the identity blocks are checked on their own: if those pass, look at the shortcut, "
            "which must be a 1x1 conv with the block's stride (no padding, bias=False) followed by "
            "its own BatchNorm, applied to x itself and added before the final ReLU"
        )
    if (
        isinstance(output, torch.Tensor)
        and output.shape == expected.shape
        and output.dtype == expected.dtype
    ):
        difference = float((output - expected).abs().max())
        if 1e-5 < difference < 1e-2 * (1 + float(expected.abs().max())):
            hint = f"the structure looks right but the numbers are slightly off: {BN_DEFAULTS}"
    expect_close(output, expected, "the block's output", against=f"a reference {call} in {mode}",
                 likely_causes=likely_causes, hint=hint)  # fmt: skip
    if training:
        for name, value in expected_stats.items():
            expect_close(learner_state.get(name) if isinstance(learner_state, dict) else None, value,
                         name, against=f"BatchNorm's running statistics after one training step of {call}",
                         likely_causes={cause: stats[name] for cause, stats in mistaken_stats.items()},
                         hint="use nn.BatchNorm2d for bn1, bn2 (and the projection), and call each once per forward")  # fmt: skip


# -- checks ----------------------------------------------------------------------------
@check(points=2)
def test_output_shapes_for_identity_and_downsampling_blocks(learner):
    """Output is (N, C_out, H', W'), H' = floor((H - 1) / stride) + 1: same size at stride 1, halved (rounding up) at stride 2, a third at stride 3; C_out=C_in by default, more or fewer channels otherwise."""
    cases = [((4, None, 1, 8), (2, 4, 8, 8)), ((4, 8, 1, 8), (2, 8, 8, 8)),
             ((4, 8, 2, 8), (2, 8, 4, 4)), ((3, 6, 2, 9), (2, 6, 5, 5)),
             ((4, 4, 3, 8), (2, 4, 3, 3)), ((8, 4, 1, 8), (2, 4, 8, 8))]  # fmt: skip
    cause = (
        "Likely cause: conv1 and the projection shortcut must both use the stride, with padding 1 "
        "on the 3x3 convolutions, and the shortcut is a projection whenever stride != 1 or the "
        "channel count changes."
    )
    for (in_channels, out_channels, stride, size), expected in cases:
        call = (
            f"ResidualBlock({in_channels}, {out_channels}, stride={stride}) on input "
            f"(2, {in_channels}, {size}, {size})"
        )
        try:
            got = learner.run(output_shape, in_channels, out_channels, stride, size)
        except LearnerRaised as error:
            raise CheckFailed(
                f"{call} should give shape {expected}, but failed. {error}\n{cause}"
            ) from None
        if not isinstance(got, (tuple, list)) or tuple(got) != expected:
            raise CheckFailed(f"{call} should give shape {expected}, but gave {got}. {cause}")


LAYOUT_CASES = [(8, 8, 1), (4, 8, 1), (8, 4, 1), (8, 8, 2), (8, 8, 3)]
"""(C_in, C_out, stride) of the blocks whose layers are inspected: identity, wider, narrower, strided."""


@check(points=2)
def test_layers_and_parameter_count_follow_the_contract(learner):
    """conv1, bn1, conv2, bn2 and shortcut have the contract's shapes; the shortcut is a projection exactly when the shape changes."""
    for in_channels, out_channels, stride in LAYOUT_CASES:
        got = learner.run(layout, in_channels, out_channels, stride)
        expected = expected_layout(in_channels, out_channels, stride)
        call = f"ResidualBlock({in_channels}, {out_channels}, stride={stride})"
        if not isinstance(got, dict) or got.get("state") != expected["state"]:
            shapes = got.get("state") if isinstance(got, dict) else got
            projection = (
                "a 1x1 conv + BatchNorm projection"
                if "shortcut.0.weight" in expected["state"]
                else "nn.Identity() (or another module without parameters that returns x)"
            )
            raise CheckFailed(
                f"{call} should have the state_dict entries {expected['state']}, but it has {shapes}. "
                f"Here the shortcut should be {projection}; convolutions have bias=False."
            )
        if got.get("parameters") != expected["parameters"]:
            raise CheckFailed(
                f"{call} should have {expected['parameters']} parameters, but it has {got.get('parameters')}: "
                "use only the layers of the contract."
            )
        if "shortcut.0.weight" not in expected["state"]:
            expect_identity_shortcut(got.get("shortcut_of"), got.get("shortcut"), call)
        expect_convolutions(
            got.get("convolutions"),
            expected_convolutions(stride, "shortcut.0.weight" in expected["state"]),
            call,
        )


def expect_identity_shortcut(got: object, kind: object, call: str) -> None:
    """Where the shape does not change, the shortcut holds nothing and returns x unchanged
    (nn.Identity(), an empty nn.Sequential(), ...), in train and eval mode, gradient included."""
    wanted = (
        f"{call}.shortcut should return its input unchanged (the shape does not change): "
        "nn.Identity(), or any module without parameters or buffers that returns x, such as an "
        f"empty nn.Sequential(). It is a {kind}"
    )
    if not isinstance(got, dict) or not isinstance(got.get("calls"), list):
        raise CheckFailed(f"{wanted}, which is not an nn.Module.")
    if got.get("held") != 0:
        raise CheckFailed(
            f"{wanted} holding {got.get('held')} numbers (parameters or buffers). Likely cause: "
            "a layer used as the identity shortcut; only a shape change needs the 1x1 conv + "
            "BatchNorm projection."
        )
    for mode, result in zip(("train", "eval"), got["calls"]):
        x, out, grad = (result.get(key) for key in ("x", "out", "grad"))
        if not (isinstance(out, torch.Tensor) and out.dtype == x.dtype and out.shape == x.shape):
            shown = (
                f"{tuple(out.shape)} {out.dtype}"
                if isinstance(out, torch.Tensor)
                else type(out).__name__
            )
            raise CheckFailed(
                f"{wanted}, which turns x of shape {tuple(x.shape)} ({x.dtype}) into {shown} in "
                f"{mode} mode."
            )
        if not torch.equal(out, x):
            difference = float((out - x).abs().max()) if out.isfinite().all() else "not finite"
            raise CheckFailed(
                f"{wanted}, which changes x in {mode} mode (largest difference {difference}). "
                "Likely cause: the shortcut computes something (an activation, a scaling, "
                "dropout...); the skip connection must add x itself."
            )
        if not isinstance(grad, torch.Tensor) or not torch.equal(grad, torch.ones_like(x)):
            raise CheckFailed(
                f"{wanted}, through which the gradient does not pass unchanged in {mode} mode. "
                "Likely cause: the shortcut detaches x (.detach(), .data, torch.no_grad)."
            )


def expected_convolutions(stride: int, projection: bool) -> dict:
    """The contract's convolutions: kernel size, stride, padding (as nn.Conv2d stores them)."""
    convolutions = {
        "conv1": {"kernel_size": [3, 3], "stride": [stride, stride], "padding": [1, 1]},
        "conv2": {"kernel_size": [3, 3], "stride": [1, 1], "padding": [1, 1]},
    }
    if projection:
        convolutions["shortcut.0"] = {
            "kernel_size": [1, 1],
            "stride": [stride, stride],
            "padding": [0, 0],
        }
    return convolutions


def expect_convolutions(got: object, expected: dict, call: str) -> None:
    """Each convolution of the contract is an nn.Conv2d with its kernel, stride, padding, no bias."""
    got = got if isinstance(got, dict) else {}
    same_padding = {"conv2": "same", "shortcut.0": "valid"}  # what padding=... strings mean here
    for name, attributes in expected.items():
        conv = got.get(name)
        if not isinstance(conv, dict) or conv.get("type") != "Conv2d":
            kind = conv.get("type") if isinstance(conv, dict) else "missing"
            raise CheckFailed(f"{call}.{name} should be an nn.Conv2d, but it is {kind}.")
        for attribute, value in attributes.items():
            if conv.get(attribute) == value or (
                attribute == "padding" and conv.get(attribute) == same_padding.get(name)
            ):
                continue
            cause = (
                "the stride belongs on conv1 and on the shortcut's 1x1 conv, nowhere else (conv2 "
                "keeps stride 1); subsampling before or after a stride-1 conv gives the same shape "
                "but is not the contract's layer"
                if attribute == "stride"
                else "build it exactly as the contract in the docstring says"
            )
            raise CheckFailed(
                f"{call}.{name} should have {attribute}={tuple(value)}, but it has "
                f"{attribute}={as_tuple(conv.get(attribute))}. Likely cause: {cause}."
            )
        if conv.get("bias"):
            raise CheckFailed(
                f"{call}.{name} should have no bias (bias=False), but it has one: the BatchNorm "
                "after it has its own shift."
            )


def as_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


@check(points=4)
def test_identity_block_matches_the_reference_in_train_mode(learner):
    """In train mode, the block's output and BatchNorm statistics equal a reference with the same weights."""
    compare_block(learner, 6, 6, 1, training=True, seed=10)


@check(points=2)
def test_identity_block_matches_the_reference_in_eval_mode(learner):
    """In eval mode, BatchNorm uses its running statistics and the output equals the reference."""
    compare_block(learner, 6, 6, 1, training=False, seed=20)


PROJECTION_CASES = [(4, 8, 2, SIZE), (4, 8, 1, SIZE), (8, 4, 1, SIZE), (3, 6, 2, 9),
                    (6, 6, 3, SIZE)]  # fmt: skip
"""(C_in, C_out, stride, H = W) of the blocks whose shortcut is a projection."""


@check(points=3)
def test_projection_blocks_match_the_reference(learner):
    """Where the shape changes (more or fewer channels, stride 2 on even and odd sizes, stride 3), the 1x1-conv + BatchNorm shortcut matches the reference (train and eval)."""
    for seed, (in_channels, out_channels, stride, size) in enumerate(PROJECTION_CASES, start=30):
        for training in (True, False):
            compare_block(learner, in_channels, out_channels, stride, training, 10 * seed, size)


@check(points=3)
def test_gradients_match_the_reference_for_input_and_every_parameter(learner):
    """Backward gives the reference's gradients for the input and every parameter (float64, both block kinds)."""
    for in_channels, out_channels, stride, seed in ((6, 6, 1, 50), (4, 8, 2, 60)):
        state = random_weights(in_channels, out_channels, stride, seed, dtype=torch.float64)
        x = random_input(in_channels, seed + 1, dtype=torch.float64)
        expected_out, _ = reference_block(state, x, stride, True)
        grad_out = torch.randn(
            expected_out.shape,
            generator=torch.Generator().manual_seed(seed + 2),
            dtype=torch.float64,
        )
        got = learner.run(block_gradients, state, x, stride, grad_out)
        if got == "no graph":
            raise CheckFailed(f"No gradient reached any input or parameter: {NO_GRAPH}.")
        if not isinstance(got, dict):
            raise CheckFailed("The gradient probe did not get gradients back from your block.")
        leaves = {"input": x.clone().requires_grad_()}
        leaves.update({name: value.clone().requires_grad_() for name, value in state.items()
                       if name.endswith(("weight", "bias"))})  # fmt: skip
        out, _ = reference_block({**state, **leaves}, leaves["input"], stride, True)
        (out * grad_out).sum().backward()  # = out.backward(grad_out)
        expected = {name: leaf.grad for name, leaf in leaves.items()}
        expect_gradients(got, expected, against="the reference's gradient", atol=1e-9, rtol=1e-6)


@check(points=2)
def test_skip_carries_signal_and_gradient_when_the_branch_is_silenced(learner):
    """With bn2's scale and shift at zero, the block passes ReLU(x) and d out/d x is 1 where x > 0."""
    x = random_input(6, 70)
    got = learner.run(silenced_branch, x)
    output, grad = expect_pair(got, "the probe's result")
    hint = "the identity shortcut must add x itself, unchanged, before the final ReLU"
    expect_close(output, torch.relu(x), "the output with a silenced residual branch",
                 against="ReLU(x)", hint=hint)  # fmt: skip
    if grad is None:
        raise CheckFailed(f"No gradient reached x with a silenced residual branch: {NO_GRAPH}.")
    expect_close(grad, (x > 0).to(x.dtype), "d out / d x with a silenced residual branch",
                 against="1 where x > 0, else 0", hint=hint)  # fmt: skip


DEPTH, DEEP_CHANNELS = 24, 8


def plain_stack_gradient(states, x, grad_out) -> torch.Tensor:
    """d loss / d x through the same blocks with their skip connections removed (eval mode)."""
    leaf = x.clone().requires_grad_()
    out = leaf
    for state in states:
        main, _, _ = reference_parts(state, out, 1, False)
        out = torch.relu(main)
    (out * grad_out).sum().backward()
    return leaf.grad


@check(points=2)
def test_deep_stack_keeps_the_input_gradient_healthy(learner):
    """Through 24 of your blocks the gradient at the input stays as large as at the output; without skips it vanishes."""
    x = random_input(DEEP_CHANNELS, 80)
    grad_out = random_input(DEEP_CHANNELS, 81)
    got = learner.run(deep_stack, DEEP_CHANNELS, DEPTH, x, grad_out)
    states, grad = expect_pair(got, "the probe's result")
    if grad is None:
        raise CheckFailed(f"No gradient reached the input of {DEPTH} of your blocks: {NO_GRAPH}.")
    grad = expect_shape(grad, x.shape, "the gradient at the input of the stack")
    plain = plain_stack_gradient(states, x, grad_out)
    ratio, plain_ratio = float(grad.norm() / grad_out.norm()), float(plain.norm() / grad_out.norm())
    if not ratio >= 0.5:
        raise CheckFailed(
            f"Through {DEPTH} of your blocks (eval mode), the gradient at the input has {ratio:.2g} "
            f"times the norm of the gradient at the output; with skip connections it should be "
            f"about 1 or more (the identity path carries it unchanged). The same blocks without "
            f"skips give {plain_ratio:.2g}: that is the vanishing gradient ResNets fix. "
            "Likely cause: the skip connection is missing or does not carry x itself."
        )
    leaf = x.clone().requires_grad_()
    out = leaf
    for state in states:
        out, _ = reference_block(state, out, 1, False)
    (out * grad_out).sum().backward()
    expect_close(grad, leaf.grad, "the gradient at the input of the stack",
                 against="the same stack of reference blocks with your weights", atol=1e-4, rtol=1e-3)  # fmt: skip
