"""Exercise: gradient clipping by norm and by value (course notes §7, interview Q10 and Q12).

When the gradients of a recurrent network explode, one step of gradient descent throws the
weights so far that the next loss is inf or NaN. Clipping bounds the step: it goes between
backward() and the optimizer's step():

    loss.backward()
    clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()

Norm clipping treats the gradients of ALL parameters together as one long vector g. When
its norm ||g|| is larger than max_norm, every gradient is multiplied by the same factor
max_norm / (||g|| + 1e-6): the direction of g is kept and only its length shrinks to
max_norm. Value clipping clamps every gradient entry to [-clip_value, clip_value] on its
own, which can change the direction.

Both functions behave like PyTorch's torch.nn.utils.clip_grad_norm_ and clip_grad_value_.
Do not call those (nor torch.nn.utils.get_total_norm or clip_grads_with_norm_) in your
code: the grader compares against them and gives no points for using them (you may
compare against them yourself under `if __name__ == "__main__":`).
"""

from collections.abc import Iterable

import torch


def clip_grad_norm_(
    parameters: torch.Tensor | Iterable[torch.Tensor], max_norm: float, norm_type: float = 2.0
) -> torch.Tensor:
    """Scale the gradients of `parameters` in place so that their total norm is at most max_norm.

    parameters: one tensor, or an iterable of tensors: a list, or a generator such as
        model.parameters() (which can be iterated only once). Tensors whose .grad is None
        are skipped.
    max_norm: the largest total norm allowed, a positive float
    norm_type: p of the p-norm, a positive float, or float("inf") for the largest
        absolute entry
    returns total_norm: 0-dim tensor (dtype of the gradients), the p-norm of all gradients
        taken together, as if they were flattened and concatenated into one vector,
        computed BEFORE clipping

    When total_norm > max_norm, every gradient tensor is multiplied in place by
    max_norm / (total_norm + 1e-6) (the 1e-6 avoids dividing by zero). Otherwise the
    gradients are left as they are: clipping never scales a gradient up. "In place" means
    the existing .grad tensors change (mul_): p.grad stays the same tensor object.
    """
    # YOUR CODE HERE
    raise NotImplementedError("clip_grad_norm_")


def clip_grad_value_(parameters: torch.Tensor | Iterable[torch.Tensor], clip_value: float) -> None:
    """Clamp every gradient entry of `parameters` to [-clip_value, clip_value], in place.

    parameters: one tensor, or an iterable of tensors (a list or a generator); tensors
        whose .grad is None are skipped
    clip_value: a positive float
    returns None; the existing .grad tensors change (p.grad stays the same tensor object)
    """
    # YOUR CODE HERE
    raise NotImplementedError("clip_grad_value_")
