"""What the generic obligations cannot say about lstm_cell: its learning task discriminates.
(What each mutant's failure message must say is in its file: MESSAGES.)"""

import pytest
import torch
from torch import nn

from course.graders import test_lstm_cell as grader


def tanh_rnn_recall_accuracy(seed: int) -> float:
    """A tanh RNN of the same size, trained exactly like the learner's LSTM, on the same task."""
    torch.manual_seed(seed)
    _, _, inputs, labels = grader.recall_training_run(seed)
    rnn = nn.RNN(inputs.shape[-1], grader.RECALL_HIDDEN, batch_first=True)
    head = nn.Linear(grader.RECALL_HIDDEN, grader.RECALL_CLASSES)
    optimizer = torch.optim.Adam(
        [*rnn.parameters(), *head.parameters()], lr=grader.RECALL_LEARNING_RATE
    )
    for batch_inputs, batch_labels in zip(inputs, labels):
        _, h_last = rnn(batch_inputs)
        loss = nn.functional.cross_entropy(head(h_last[0]), batch_labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    test_inputs, test_labels = grader.recall_batch(torch.Generator().manual_seed(100 + seed), 1000)
    with torch.no_grad():
        _, h_last = rnn(test_inputs)
        return float((head(h_last[0]).argmax(dim=1) == test_labels).float().mean())


def test_a_plain_tanh_rnn_stays_far_below_the_recall_threshold():
    best = max(tanh_rnn_recall_accuracy(seed) for seed in (0, 1))
    assert best < grader.RECALL_ACCURACY - 0.3, best


def test_the_reference_lstm_reaches_the_threshold_on_the_first_seed():
    from course.solutions import lstm_cell as reference

    cell_state, head_state, inputs, labels = grader.recall_training_run(0)
    trained = grader.train_recall(
        reference, cell_state, head_state, inputs, labels, grader.RECALL_LEARNING_RATE
    )
    assert grader.recall_accuracy(*trained, seed=100) >= grader.RECALL_ACCURACY


CAUSES_ABOUT_CORRECT_CODE = {
    "test_hx_none_means_a_zero_state": "with hx=None, h and c start as zeros",
    "test_lstm_forward_matches_torch_lstm_over_a_sequence": "outputs[:, t] must be h after step t",
}
"""The likely causes these checks give when the cell is right and they still fail."""


@pytest.mark.slow
@pytest.mark.parametrize(
    "mutant", ["tanh_missing_on_the_new_cell_state", "gates_unpacked_in_the_wrong_order"]
)
def test_a_check_built_on_a_wrong_cell_blames_the_cell_not_correct_code(mutant, mutant_grades):
    messages = mutant_grades.failure_messages("lstm_cell", mutant)
    for check, phrase in CAUSES_ABOUT_CORRECT_CODE.items():
        assert "fix the cell first" in messages[check], messages[check]
        assert phrase not in messages[check], messages[check]
