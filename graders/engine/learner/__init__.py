"""The learner process: where learner code runs, and the grader's handle on it."""
