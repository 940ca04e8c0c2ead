"""What the generic obligations cannot say about clipping: the training check discriminates,
and the failure messages name the mistake a learner made."""

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


NAMED_MISTAKES = {
    "generator_read_twice": {
        "test_a_generator_of_parameters_is_clipped_too": "can be iterated only once",
        "test_clipping_lets_an_rnn_with_exploding_gradients_train": "Training diverged",
    },
    "each_gradient_clipped_by_its_own_norm": {
        "test_norm_clipping_scales_all_gradients_by_one_common_factor_like_torch": "OWN norm",
    },
    "infinity_norm_by_the_power_formula": {
        "test_infinity_norm_is_the_largest_absolute_gradient_entry": "(sum |g|^p)^(1/p)",
    },
    "infinity_norm_as_the_largest_entry_without_abs": {
        "test_infinity_norm_is_the_largest_absolute_gradient_entry": "not the largest ABSOLUTE entry",
    },
    "gradients_divided_by_the_total_norm_whatever_max_norm": {
        "test_norm_clipping_scales_all_gradients_by_one_common_factor_like_torch": "whatever max_norm",
    },
    "norm_returned_after_clipping": {
        "test_returns_the_total_norm_computed_before_clipping": "AFTER clipping",
    },
    "value_clipping_replaces_the_gradient_tensor": {
        "test_both_functions_change_the_gradient_tensors_in_place": "`p.grad = ...`",
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("mutant", NAMED_MISTAKES)
def test_the_failure_message_names_the_mistake(mutant, mutant_grades):
    messages = mutant_grades.failure_messages("clipping", mutant)
    for check, phrase in NAMED_MISTAKES[mutant].items():
        assert phrase in messages[check], messages[check]
