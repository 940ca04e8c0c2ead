"""What the generic obligations cannot say about early_stopping: the grader's expected traces
agree with the reference on many curves, the training curve of the use check discriminates,
and the failure messages name the mistake a learner made."""

import math
import random

import pytest

from course.graders import test_early_stopping as grader
from course.solutions import early_stopping as reference


def reference_trace(values: list[float], **settings) -> list[list]:
    """What the reference class says and holds after each step, read as the probe reads it."""
    stopper = reference.EarlyStopping(**settings)
    rows = []
    for value in values:
        said = stopper.step(value)
        rows.append([said, stopper.best, stopper.best_epoch, stopper.num_bad_epochs, said])
    return rows


def same_rows(got: list[list], expected: list[list]) -> bool:
    def same(a, b):
        return a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b))

    return all(same(a, b) for row, other in zip(got, expected) for a, b in zip(row, other))


def test_expected_trace_agrees_with_the_reference_on_random_curves_with_ties_and_nan():
    chooser = random.Random(0)
    levels = [0.5, 0.6, 0.7, 0.8, float("nan")]  # few levels: many ties
    for _ in range(300):
        values = [chooser.choice(levels) for _ in range(12)]
        settings = {
            "patience": chooser.randint(0, 4),
            "min_delta": chooser.choice([0.0, 0.05, 0.15]),
            "mode": chooser.choice(["min", "max"]),
        }
        expected = grader.expected_trace(values, **settings)
        assert same_rows(reference_trace(values, **settings), expected), (values, settings)


def test_the_validation_curve_has_one_clear_minimum_then_rises_for_longer_than_the_patience():
    history = grader.full_validation_history(grader.overfitting_data())
    best = min(range(len(history)), key=lambda epoch: history[epoch])
    assert 10 <= best < grader.MAX_EPOCHS // 2, best
    # the neighbours differ from the minimum by far more than the check's tolerance (1e-4)
    assert min(history[best - 1], history[best + 1]) - history[best] > 1e-4 * history[best]
    after = history[best : best + grader.PATIENCE + 2]
    assert all(later > earlier for earlier, later in zip(after, after[1:])), after
    assert history[best + grader.PATIENCE] - history[best] > 1e-3  # restore visibly matters


def test_a_stopper_that_never_stops_would_run_all_epochs_and_end_worse_than_the_best():
    history = grader.full_validation_history(grader.overfitting_data())
    assert len(history) == grader.MAX_EPOCHS
    assert history[-1] > min(history) * 1.1


NAMED_MISTAKES = {
    "weights_stored_by_reference": {
        "test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors": "reference to the live tensors",
    },
    "restore_does_nothing": {
        "test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors": "restore did not load the stored weights",
    },
    "only_parameters_stored": {
        "test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors": "running statistics",
    },
    "patience_off_by_one": {
        "test_a_training_loop_stops_early_and_keeps_the_best_validation_weights": "should stop after epoch",
        "test_stops_after_patience_epochs_without_improvement_on_a_loss_curve": "num_bad_epochs >= patience",
    },
    "nan_treated_as_improvement": {
        "test_nan_never_counts_as_an_improvement": "NaN value must never count as an improvement",
    },
    "ties_count_as_improvement": {
        "test_a_tie_with_the_best_is_not_an_improvement": "compare with <, not <=",
    },
    "best_epoch_counted_from_one": {
        "test_stops_after_patience_epochs_without_improvement_on_a_loss_curve": "counts from 0",
    },
    "mode_max_ignored": {
        "test_mode_max_follows_an_accuracy_curve": "in mode 'max' a higher value is better",
    },
    "min_delta_with_the_wrong_sign": {
        "test_min_delta_demands_a_real_improvement": "by MORE than min_delta",
    },
    "min_delta_relative_to_the_best": {
        "test_min_delta_demands_a_real_improvement": "not a fraction of best",
    },
    "stop_flag_latched": {
        "test_stops_after_patience_epochs_without_improvement_on_a_loss_curve": "whether to stop NOW",
    },
    "stops_recording_once_it_said_stop": {
        "test_stops_after_patience_epochs_without_improvement_on_a_loss_curve": "stopped recording",
    },
    "restore_with_assign_true": {
        "test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors": "share memory with the stored copy",
    },
    "restore_assigns_new_tensors_to_the_model": {
        "test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors": "an optimizer made before restore",
    },
    "value_tensor_kept_as_the_best": {
        "test_stops_after_patience_epochs_without_improvement_on_a_loss_curve": "value = float(value)",
    },
    "restore_crashes_when_nothing_stored": {
        "test_without_restore_best_weights_the_model_is_left_alone": "must do nothing",
    },
    "first_epoch_never_stops": {
        "test_patience_zero_stops_at_the_first_epoch_that_does_not_improve": "Do not guard the stop with `epoch > 0`",
    },
    "best_epoch_none_before_any_improvement": {
        "test_nan_never_counts_as_an_improvement": "best_epoch should be -1 before any epoch improved; it is None",
        "test_a_tie_with_the_best_is_not_an_improvement": "best_epoch should be -1 before any epoch improved; it is None",
    },
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("mutant", NAMED_MISTAKES)
def test_the_failure_message_names_the_mistake(mutant, mutant_grades):
    messages = mutant_grades.failure_messages("early_stopping", mutant)
    for check, phrase in NAMED_MISTAKES[mutant].items():
        assert phrase in messages[check], messages[check]
