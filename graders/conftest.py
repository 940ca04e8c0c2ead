"""Makes every grader file here runnable on its own, e.g.
`pytest graders/test_lstm_cell.py --impl solutions/lstm_cell.py`."""

from course.graders.engine.plugin import *  # noqa: F403 - pytest finds the hooks by name
from course.graders.engine.plugin import learner, learner_process  # noqa: F401 - fixtures
