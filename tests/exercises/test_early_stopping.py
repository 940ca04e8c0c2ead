"""What the generic obligations cannot say about early_stopping: the grader's expected traces
agree with the reference on many curves, the training curve of the use check discriminates.
(What each mutant's failure message must say is in its file: MESSAGES.)"""

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
