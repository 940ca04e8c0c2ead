"""The grading engine: runs learner code in a child process and decides verdicts here.

Modules, in the order a grading run meets them:
  manifest.py   the exercises, their hints and limits (exercises/manifest.toml)
  declared.py   the checks a grader file declares, read without importing it
  grade.py      launches pytest on grader files in a child process, fails closed
  plugin.py     pytest hooks inside that process: options, fixtures, the results
  report.py     the signed report channel from that process back to grade.py
  learner.py    the parent's handle on the learner process: requests, time limits, restarts
  worker.py     the learner process itself: imports the learner's file, runs probes
  wire.py       framing of messages between the two processes
  forbidden.py  PyTorch's own version of an exercise, caught statically and at run time
  compare.py    tensor comparisons that explain what differs and why
  checks.py     the @check decorator: points, time limit, visibility
Nothing imported by this package's __init__ may import torch: the CLI imports it.
"""
