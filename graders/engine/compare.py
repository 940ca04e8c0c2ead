"""Comparisons that decide a check and explain, in the learner's words, what differs.

Every function here runs in the grader process on values that came back from the learner
process; a failure raises CheckFailed with what was expected, what came, and a likely cause.
"""

from collections.abc import Callable

import torch


class CheckFailed(AssertionError):
    """A check's verdict is 'no'; the message teaches why."""


def expect_tensor(got: object, name: str) -> torch.Tensor:
    """`got` itself, or CheckFailed if it is not a tensor."""
    if isinstance(got, torch.Tensor):
        return got
    if isinstance(got, dict) and "__unsupported__" in got:
        kind = got["__unsupported__"]
    else:
        kind = type(got).__name__
    raise CheckFailed(f"`{name}` should be a tensor, but your code returned a {kind}.")


def expect_pair(got: object, name: str) -> tuple:
    """`got` as a 2-tuple, or CheckFailed naming what came instead."""
    if isinstance(got, (tuple, list)) and len(got) == 2:
        return tuple(got)
    size = f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""
    kind = got.get("__unsupported__", "dict") if isinstance(got, dict) else type(got).__name__
    raise CheckFailed(
        f"{name} should be a pair (a tuple of two), but your code returned a {kind}{size}."
    )


def expect_shape(got: object, shape: tuple[int, ...], name: str) -> torch.Tensor:
    """`got` as a tensor of exactly `shape`."""
    tensor = expect_tensor(got, name)
    if tuple(tensor.shape) != tuple(shape):
        raise CheckFailed(
            f"`{name}` should have shape {_shape(shape)}, but it has shape {_shape(tensor.shape)}."
        )
    return tensor


def expect_close(
    got: object,
    expected: torch.Tensor,
    name: str,
    *,
    against: str,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    likely_causes: dict[str, torch.Tensor] | None = None,
    hint: str | None = None,
) -> None:
    """`got` equals `expected` within tolerance, or CheckFailed explaining the difference.

    `likely_causes` maps a mistake, in words, to what that mistake would produce; a match
    names the mistake. `hint` is said when no listed mistake matches.
    """
    tensor = expect_shape(got, expected.shape, name)
    if tensor.dtype != expected.dtype:
        raise CheckFailed(
            f"`{name}` should have dtype {expected.dtype} (the dtype of the inputs), "
            f"but it has {tensor.dtype}."
        )
    if torch.allclose(tensor, expected, atol=atol, rtol=rtol, equal_nan=False):
        return
    if not torch.isfinite(tensor).all() and torch.isfinite(expected).all():
        detail = f"`{name}` contains NaN or infinity where {against} gives finite values."
    else:
        difference = (tensor - expected).abs().nan_to_num(nan=float("inf"))
        flat_index = int(difference.argmax())
        index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat_index), expected.shape))
        detail = (
            f"`{name}` does not match {against}: the largest difference is "
            f"{float(difference.flatten()[flat_index]):.3g} at index {list(index)} "
            f"({_expected_and_got(float(expected[index]), float(tensor[index]))})."
        )
    raise CheckFailed(detail + _likely_cause(tensor, likely_causes, hint, atol, rtol))


DETACHED = (
    "it is not part of the computation, or it was detached (.detach(), .data, torch.no_grad, "
    "or a new tensor made from its values)."
)


def expect_gradients(
    got: dict,
    expected: dict[str, torch.Tensor],
    *,
    against: str,
    through: str = "",
    why_missing: str = DETACHED,
    atol: float = 1e-10,
    rtol: float = 1e-7,
    likely_causes: dict[str, dict[str, torch.Tensor]] | None = None,
    hint: str | None = None,
    close: Callable[..., None] | None = None,
) -> None:
    """Every gradient in `expected` came back in `got` and matches, or CheckFailed naming the
    first one that did not reach its tensor (`why_missing`) or differs.

    `through`: how the gradient flowed, said after its name (" through lstm_forward").
    `likely_causes`: mistake in words -> the gradients that mistake would produce, by name.
    `close`: the comparison, expect_close's signature (a grader's own, that names a cause).
    """
    close = close or expect_close
    for name, expected_grad in expected.items():
        if got.get(name) is None:
            raise CheckFailed(f"No gradient reached `{name}`{through}: {why_missing}")
        causes = {cause: grads[name] for cause, grads in (likely_causes or {}).items()}
        close(got[name], expected_grad, f"gradient of {name}{through}", against=against,
              atol=atol, rtol=rtol, likely_causes=causes or None, hint=hint)  # fmt: skip


def expect_finite_difference_agrees(
    analytic: float, plus: float, minus: float, step: float, name: str, rtol: float = 1e-5
) -> None:
    """A directional derivative from autograd agrees with central finite differences."""
    numeric = (plus - minus) / (2 * step)
    if abs(analytic - numeric) <= rtol * max(1.0, abs(numeric)):
        return
    raise CheckFailed(
        f"The gradient of {name} disagrees with finite differences in float64: along a random "
        f"direction autograd says {analytic:.8g}, the function itself changes at {numeric:.8g}. "
        "Likely cause: an operation that breaks autograd (in-place edits of a tensor needed "
        "for backward, .detach(), .data, or going through numpy)."
    )


def _likely_cause(got, likely_causes, hint, atol, rtol) -> str:
    for cause, would_give in (likely_causes or {}).items():
        if would_give.shape == got.shape and torch.allclose(
            got, would_give.to(got.dtype), atol=atol, rtol=rtol
        ):
            return f" Likely cause: {cause} (your result matches exactly that mistake)."
    return f" Likely cause: {hint}." if hint else ""


def _expected_and_got(expected: float, got: float) -> str:
    """Both numbers with just enough digits to tell them apart (5 at least)."""
    for digits in (5, 8, 12, 17):
        if f"{expected:.{digits}g}" != f"{got:.{digits}g}":
            break
    return f"expected {expected:.{digits}g}, got {got:.{digits}g}"


def _shape(shape) -> str:
    return (
        "(" + ", ".join(str(int(size)) for size in shape) + ("," if len(shape) == 1 else "") + ")"
    )
