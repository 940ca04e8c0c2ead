"""The `course` command. Before any other kit module is imported, the kit is set to run only
from its source, never from a compiled file someone else may have written beside it
(graders/engine/source_only_import.py, run from its source here for the same reason)."""

from pathlib import Path

_POLICY = Path(__file__).resolve().parents[1] / "graders" / "engine" / "source_only_import.py"
_namespace = {"__name__": "course_source_only_import", "__file__": str(_POLICY)}
exec(compile(_POLICY.read_bytes(), str(_POLICY), "exec"), _namespace)
_namespace["install"]()
