"""An unwritten part is named by its function, even where the stub's message was cleared
(nbgrader's `raise NotImplementedError()`), with the file and line."""

import pytest

from course.graders.engine.learner.loading import import_learner_file, learner_frames
from course.graders.engine.learner.process import raised_failure


def test_frames_are_named_by_the_qualified_name_of_their_function(tmp_path):
    learner_file = tmp_path / "cell.py"
    learner_file.write_text(
        "class Cell:\n    def forward(self):\n        raise NotImplementedError()\n"
    )
    module = import_learner_file(learner_file)
    with pytest.raises(NotImplementedError) as raised:
        module.Cell().forward()
    (frame,) = learner_frames(raised.value, tmp_path)
    assert (frame.name, frame.lineno) == ("Cell.forward", 3)


@pytest.mark.parametrize(
    "message, expected",
    [
        ("", "Not implemented yet: LSTMCell.forward (lstm_cell.py, line 49)."),
        ("LSTMCell.forward", "Not implemented yet: LSTMCell.forward (lstm_cell.py, line 49)."),
    ],
)
def test_not_implemented_names_the_function_whether_or_not_the_stub_said_it(message, expected):
    frame = ["lstm_cell.py", 49, "LSTMCell.forward", "raise NotImplementedError()"]
    error = {"type": "NotImplementedError", "message": message, "frames": [frame]}
    assert str(raised_failure(error, "lstm_cell.py")) == expected
