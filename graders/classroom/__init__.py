"""Grading a whole class: many submissions, in parallel, isolated, resumable.

submissions.py  finding each student's files in the layouts instructors have (folders,
                LMS zips, nbgrader's submitted/), and staging them as a workspace
runner.py       grading them in parallel with the engine, sandboxed, each result saved
                at once; a run interrupted goes on where it stopped
outputs.py      the gradebook CSV, the long CSV, a feedback file per student, the report
gradebook.py    the scores into nbgrader's gradebook, for submissions that came from it
"""
