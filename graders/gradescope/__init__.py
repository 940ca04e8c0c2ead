"""The kit as a Gradescope autograder: Gradescope's fleet runs `course grade` per submission.

autograder_zip.py   `course export gradescope`: the zip (setup.sh, run_autograder, the kit's wheel)
submission.py       inside the container: find the student's files, stage them as a workspace
container.py        inside the container: fetch the datasets at image build, grade a
                    submission with the engine, write results/results.json
"""
