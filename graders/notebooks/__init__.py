"""The nbgrader integration: one notebook per exercise, scored by the engine.

release.py        `course release`: nbgrader_config.py and the notebooks
cells.py          the cell protocol: grade ids, the answer header, the test-cell call
kernel_checks.py  what test cells run in the student's kernel (feedback, never the score)
autograde.py      the autograde steps: the engine scores every kit test cell
"""
