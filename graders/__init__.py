"""Grading: one pytest file per exercise here (test_<name>.py, its checks and their points),
and beside them one package per idea: engine/ (verdicts), kit/ (catalogue and workspace),
notebooks/ (nbgrader), and an exercise's own machinery (cifar/)."""
