"""The grading engine: deciding verdicts, and the learner process it drives. Nothing else.

Modules, in the order a grading run meets them:
  grade.py          launches the grading process on grader files, fails closed
  declared.py       the checks a grader file declares, read without importing it
  grading_process.py  that process: starts the learner processes, then runs pytest
  plugin.py         pytest hooks inside that process: options, fixtures, the results
  checks.py         the @check decorator: points, time limit, visibility
  signed_report.py  the signed results channel from that process back to grade.py
  learner/          the learner process: process.py (the grader's handle on it), worker.py
                    (the process itself), wire.py (framing), limits.py (time, output,
                    lifetime, the final sweep), loading.py (importing a learner file)
  warm_grader.py    a grading process kept warm, forked per request (class grading)
  forbidden.py      PyTorch's own version of an exercise, caught statically and at run time
  source_only_import.py  how every grading process starts: the kit compiled from its source,
                    never from a compiled file beside it
  foreign_files.py  compiled (or any) files that appeared in the kit during a run: it is void
  stop_detection.py a run stopped with SIGSTOP ends and earns nothing
  compare.py        tensor comparisons that explain what differs and why (graders use it)
Beside it in graders/: kit/ (catalogue and workspace), notebooks/ (nbgrader), and one
package per exercise that needs machinery of its own (cifar/). Nothing here names an exercise.
Nothing imported by this package's __init__ may import torch: the CLI imports it.
"""
