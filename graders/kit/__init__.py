"""The catalogue and the workspace: what exercises there are and where their files live.

manifest.py    exercises/manifest.toml loaded into Exercise records (the one list)
paths.py       where the kit's own folders and files are, installed or cloned
workspace.py   a learner's workspace: its layout and its record (results, hints)
stubs.py       stubs made from solutions by clearing the marked regions
training.py    what `course train` needs from an exercise that declares a trainer
core_sharing.py  torch work sharing the cores: brief OpenMP waiting, threads for idle cores
tree_check.py  the manifest and a checkout's tree agree, both ways
errors.py      UserError: the one exception for problems the user must fix
"""
