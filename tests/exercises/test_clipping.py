"""What the generic obligations cannot say about clipping: the training check discriminates.
(What each mutant's failure message must say is in its file: MESSAGES.)"""

import math
from types import SimpleNamespace

import pytest
import torch

from course.graders import test_clipping as grader
from course.solutions import clipping as reference

NO_CLIPPING = SimpleNamespace(clip_grad_norm_=lambda parameters, max_norm: torch.tensor(0.0))
SEEDS = (0, 1)  # the seeds the training check uses


def train(impl, seed: int) -> tuple[torch.Tensor, float]:
    """The training check's run, in this process: (training losses, held-out loss)."""
    rnn_state, head_state, inputs, targets = grader.exploding_training_run(seed)
    losses, trained_rnn, trained_head = grader.train_exploding_rnn(
        impl, rnn_state, head_state, inputs, targets,
        grader.EXPLODING_LEARNING_RATE, grader.EXPLODING_MAX_NORM,
    )  # fmt: skip
    return losses, grader.held_out_loss(trained_rnn, trained_head, seed=100 + seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_without_clipping_the_training_run_turns_nan_at_step_1(seed):
    losses, held_out = train(NO_CLIPPING, seed)
    assert math.isfinite(float(losses[0]))
    assert not math.isfinite(float(losses[1])), losses[:3]
    assert not math.isfinite(held_out)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_first_gradients_have_a_total_norm_above_ten_thousand(seed):
    rnn_state, head_state, inputs, targets = grader.exploding_training_run(seed)
    rnn = torch.nn.RNN(grader.EXPLODING_INPUTS, grader.EXPLODING_HIDDEN, nonlinearity="relu",
                       batch_first=True)  # fmt: skip
    rnn.load_state_dict(rnn_state)
    head = torch.nn.Linear(grader.EXPLODING_HIDDEN, 1)
    head.load_state_dict(head_state)
    loss = torch.nn.functional.mse_loss(head(rnn(inputs[0])[1][0]), targets[0])
    grads = torch.autograd.grad(loss, [*rnn.parameters(), *head.parameters()])
    assert float(torch.nn.utils.get_total_norm(grads)) > 1e4


@pytest.mark.parametrize("seed", SEEDS)
def test_the_reference_clipping_trains_below_the_loss_limit_on_each_seed(seed):
    losses, held_out = train(reference, seed)
    assert torch.isfinite(losses).all()
    assert held_out < grader.EXPLODING_LOSS_LIMIT, held_out
