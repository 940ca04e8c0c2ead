"""The kernel that autograde runs a student's notebook in: sandboxed like learner code, and
still a kernel nbgrader can drive (cells run, output comes back, a cell past its time limit
is interrupted and the next one runs)."""

import os
import socket
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from course.graders.engine.learner import sandbox
from course.graders.notebooks.answers import SUBMISSION_VARIABLE
from course.graders.notebooks.kernel_sandbox import SandboxedKernelManager

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sandbox.unavailable_reason() is not None and not os.environ.get("CI"),
        reason=f"no isolation here: {sandbox.unavailable_reason()}",
    ),
]
CELL_SECONDS = 10


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple[dict[str, list], Path]:
    """A notebook whose cells reach for what a student's kernel must not, run as autograde
    runs it; {cell: its outputs, "server reached": whether the network cell reached this
    machine's server}, and the course folder around the student's notebook."""
    course = tmp_path_factory.mktemp("course")
    notebook_folder = course / "autograded" / "ada" / "week"
    submitted = course / "submitted" / "ada" / "week"
    for folder in (notebook_folder, submitted, course / "submitted" / "bob" / "week"):
        folder.mkdir(parents=True)
    (course / "gradebook.db").write_bytes(b"scores")
    (submitted / "attention.ipynb").write_text("ada's other notebook")
    server = socket.create_server(("127.0.0.1", 0))
    cells = {
        "where": "import os\nprint(os.getcwd(), sorted(os.listdir('.')))",
        "processes": "print(sorted(p for p in os.listdir('/proc') if p.isdigit()))",
        "own submission": f"print(open({str(submitted / 'attention.ipynb')!r}).read())",
        "gradebook": f"open({str(course / 'gradebook.db')!r}, 'r+b')",
        "another student": f"os.listdir({str(course / 'submitted' / 'bob')!r})",
        "notebook folder": "open('planted.txt', 'w')",
        "scratch": "for path in ('/scratch/x', '/tmp/x'):\n    open(path, 'w').write('ok')\nprint('written')",
        "network": (
            "import socket\n"
            f"socket.create_connection(('127.0.0.1', {server.getsockname()[1]}), timeout=2)"
        ),
        "loop": "while True:\n    pass",
        "after the loop": "print('still running')",
    }
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells.values()]
    os.environ[SUBMISSION_VARIABLE] = str(submitted)
    try:
        NotebookClient(
            notebook, timeout=CELL_SECONDS, interrupt_on_timeout=True, allow_errors=True,
            kernel_manager_class=SandboxedKernelManager,
            resources={"metadata": {"path": str(notebook_folder)}},
        ).execute()  # fmt: skip
        server.setblocking(False)
        try:
            reached_the_server = bool(server.accept())
        except BlockingIOError:
            reached_the_server = False
    finally:
        del os.environ[SUBMISSION_VARIABLE]
        server.close()
    outputs = {
        name: [
            output.get("text") or f"{output.get('ename')}: {output.get('evalue')}"
            for output in cell.outputs
        ]  # fmt: skip
        for name, cell in zip(cells, notebook.cells)
    }
    outputs["server reached"] = reached_the_server
    return outputs, course


def test_the_kernel_starts_in_the_notebooks_folder_seeing_only_its_own_processes(executed):
    outputs, course = executed
    assert outputs["where"] == [f"{course / 'autograded' / 'ada' / 'week'} []\n"]
    assert outputs["processes"] == ["['1', '2']\n"]  # the sandbox's first process, the kernel


def test_the_kernel_reads_the_students_own_submission_and_nothing_else_of_the_course(executed):
    outputs, course = executed
    assert outputs["own submission"] == ["ada's other notebook\n"]
    assert outputs["gradebook"] == [
        f"FileNotFoundError: [Errno 2] No such file or directory: '{course / 'gradebook.db'}'"
    ]
    assert outputs["another student"][0].startswith("FileNotFoundError")
    assert (course / "gradebook.db").read_bytes() == b"scores"


def test_the_kernel_writes_only_its_private_scratch_space_and_has_no_network(executed):
    outputs, course = executed
    assert outputs["notebook folder"][0].startswith("OSError: [Errno 30] Read-only file system")
    assert not (course / "autograded" / "ada" / "week" / "planted.txt").exists()
    assert outputs["scratch"] == ["written\n"]
    assert outputs["network"][0].startswith("ConnectionRefusedError")  # its own loopback
    assert outputs["server reached"] is False


def test_a_cell_past_its_time_limit_is_interrupted_and_the_next_cell_runs(executed):
    outputs, _ = executed
    assert outputs["loop"] == ["KeyboardInterrupt: "]
    assert outputs["after the loop"] == ["still running\n"]
