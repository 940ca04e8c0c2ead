"""Loading a learner's exercise file as a module, and showing only its own frames when it fails.

Used by the learner process (worker.py) and by `course train`, so both import a learner file
the same way: its folder first on sys.path, so sibling exercises import as in the workspace.
"""

import importlib.util
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType, TracebackType

from course.graders.engine.source_only_import import compile_learner_files_from_source


def import_learner_file(path: Path) -> ModuleType:
    """The learner's file as a module named learner_<stem>, executed (its top level runs)."""
    path = Path(path)
    compile_learner_files_from_source(path.parent)  # never a __pycache__ file of its folder
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(f"learner_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def learner_frames(error: BaseException, learner_folder: Path) -> list[traceback.FrameSummary]:
    """The frames of `error`'s traceback in files of `learner_folder` (none of the kit's),
    each named by its function's qualified name, plus the line of a syntax error in one of them."""
    folder = os.path.realpath(learner_folder)
    tb: TracebackType | None = error.__traceback__
    frames = [  # named by qualified name (LSTMCell.forward, not forward): a stub's two
        # forward methods are told apart
        traceback.FrameSummary(frame.f_code.co_filename, line, frame.f_code.co_qualname)
        for frame, line in traceback.walk_tb(tb)
        if os.path.dirname(os.path.realpath(frame.f_code.co_filename)) == folder
    ]
    in_learner_file = isinstance(error, SyntaxError) and error.filename and error.lineno
    if in_learner_file and os.path.dirname(os.path.realpath(error.filename)) == folder:
        frames.append(
            traceback.FrameSummary(error.filename, error.lineno, "<module>", line=error.text)
        )
    return frames
