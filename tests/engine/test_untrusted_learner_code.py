"""Learner code is untrusted: whatever it does, a check it spoiled earns nothing, the other
checks are still graded, grading always ends, and the kit never shows its own traceback.

Every case is the reference lstm_cell solution with one hostile act added, either at import
time (spoiling every check) or inside `lstm_forward` (spoiling only the sequence check).
These are the defences that hold without isolation, so learner code runs unsandboxed here
(tests/classroom/test_isolation.py grades hostile code in the sandbox).
"""

import time

import pytest

from course.graders.engine.declared import declared_checks
from course.graders.kit.paths import grader_path, solution_path
from tests.kit import grade_file

pytestmark = pytest.mark.slow

EXERCISE = "lstm_cell"
SEQUENCE_CHECK = "test_lstm_forward_matches_torch_lstm_over_a_sequence"
SEQUENCE_BODY = "    outputs = []\n    state = hx\n"
IGNORE_SIGNALS = (
    "import signal\n"
    "for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
    "    signal.signal(_sig, signal.SIG_IGN)\n"
)


def learner_file(tmp_path, *, at_import: str = "", in_sequence: str = "", replace=None):
    """The reference solution with hostile code at the end of the module or in lstm_forward."""
    source = solution_path(EXERCISE).read_text(encoding="utf-8")
    for original, changed in (replace or {}).items():
        assert source.count(original) == 1
        source = source.replace(original, changed)
    if in_sequence:
        body = "".join(f"    {line}\n" for line in in_sequence.splitlines())
        source = source.replace(SEQUENCE_BODY, body + SEQUENCE_BODY)
    path = tmp_path / f"{EXERCISE}.py"
    path.write_text(source + "\n" + at_import + "\n", encoding="utf-8")
    return path


def grade(path):
    started = time.monotonic()
    result = grade_file(EXERCISE, path, isolated=False)
    return result, time.monotonic() - started


def assert_every_check_failed_saying(result, *phrases):
    assert result.earned == 0
    for check in result.checks:
        assert not check.passed
        for phrase in phrases:
            assert phrase in check.message, (check.name, check.message)
        assert "grader could not finish" not in check.message
        assert "graders/engine" not in check.message, "the kit's own frames leaked"


def assert_only_the_sequence_check_failed_saying(result, *phrases):
    failed = {check.name: check.message for check in result.checks if not check.passed}
    assert list(failed) == [SEQUENCE_CHECK], failed
    for phrase in phrases:
        assert phrase in failed[SEQUENCE_CHECK]
    assert result.earned == result.total - next(c.points for c in result.checks if not c.passed)


# -- broken files ----------------------------------------------------------------------
def test_a_syntax_error_fails_every_check_naming_the_line(tmp_path):
    path = learner_file(tmp_path, at_import="def broken(:\n    pass")
    result, _ = grade(path)
    line = path.read_text().splitlines().index("def broken(:") + 1
    assert_every_check_failed_saying(result, "SyntaxError", f"line {line}")


def test_an_exception_at_import_fails_every_check_with_the_learners_own_traceback(tmp_path):
    path = learner_file(tmp_path, at_import="def setup():\n    raise ValueError('boom')\nsetup()")
    result, _ = grade(path)
    assert_every_check_failed_saying(result, "ValueError", "boom", "raise ValueError('boom')")


def test_keyboard_interrupt_at_import_fails_every_check_and_grading_continues(tmp_path):
    result, _ = grade(learner_file(tmp_path, at_import="raise KeyboardInterrupt"))
    assert_every_check_failed_saying(result, "KeyboardInterrupt")


@pytest.mark.parametrize("exit_call", ["import sys; sys.exit(0)", "import os; os._exit(0)"])
def test_exiting_at_import_fails_every_check(tmp_path, exit_call):
    result, _ = grade(learner_file(tmp_path, at_import=exit_call))
    assert result.earned == 0
    assert all(check.message for check in result.checks)


def test_an_endless_loop_at_import_that_ignores_signals_is_cut_off(tmp_path):
    result, seconds = grade(
        learner_file(tmp_path, at_import=IGNORE_SIGNALS + "while True:\n    pass")
    )
    assert_every_check_failed_saying(result, "did not finish within")
    assert seconds < 60


# -- hostile acts inside one check -------------------------------------------------------
def test_an_endless_loop_in_one_function_fails_only_its_check_on_time(tmp_path):
    path = learner_file(tmp_path, in_sequence=IGNORE_SIGNALS + "while True:\n    pass")
    result, seconds = grade(path)
    assert_only_the_sequence_check_failed_saying(result, "did not finish in time")
    assert seconds < 60


@pytest.mark.parametrize(
    "exit_call, phrase",
    [("import os; os._exit(3)", "exited with code 3"), ("import sys; sys.exit(0)", "SystemExit")],
)
def test_exiting_inside_a_check_fails_only_that_check(tmp_path, exit_call, phrase):
    result, _ = grade(learner_file(tmp_path, in_sequence=exit_call))
    assert_only_the_sequence_check_failed_saying(result, phrase)


def test_a_crash_by_signal_inside_a_check_fails_only_that_check(tmp_path):
    kill_self = "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"
    result, _ = grade(learner_file(tmp_path, in_sequence=kill_self))
    assert_only_the_sequence_check_failed_saying(result, "SIGSEGV")


# -- side effects that must not disturb grading -------------------------------------------
def test_a_forked_process_holding_the_output_open_does_not_stall_grading(tmp_path):
    fork = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(300)\n"
        "    os._exit(0)\n"
    )
    result, seconds = grade(learner_file(tmp_path, at_import=fork))
    assert result.earned == result.total
    assert seconds < 40


def test_changing_the_working_directory_does_not_disturb_grading(tmp_path):
    result, _ = grade(learner_file(tmp_path, at_import="import os; os.chdir('/')"))
    assert result.earned == result.total


def test_megabytes_of_printing_are_survived_and_cut_short(tmp_path):
    chatter = "print('x' * 1_000_000)\nimport sys; sys.stderr.write('y' * 1_000_000)"
    result, seconds = grade(learner_file(tmp_path, at_import=chatter, in_sequence=chatter))
    assert result.earned == result.total
    assert seconds < 40


def test_printing_without_end_fails_only_the_check_that_does_it(tmp_path):
    flood = "while True:\n    print('spam' * 10_000)"
    result, _ = grade(learner_file(tmp_path, in_sequence=flood))
    assert_only_the_sequence_check_failed_saying(result)


# -- cheating ----------------------------------------------------------------------------
WRONG_GATE_ORDER = {"i, f, g, o = gates.chunk(4, dim=1)": "f, i, g, o = gates.chunk(4, dim=1)"}


def test_monkeypatching_torch_and_pytest_cannot_turn_wrong_code_into_points(tmp_path):
    cheat = (
        "import torch, pytest\n"
        "torch.allclose = lambda *a, **k: True\n"
        "torch.equal = lambda *a, **k: True\n"
        "torch.testing.assert_close = lambda *a, **k: None\n"
        "torch.Tensor.__eq__ = lambda *a, **k: torch.tensor(True)\n"
        "pytest.fail = lambda *a, **k: None\n"
    )  # the kit's own modules are out of reach: the static scan refuses any way to them
    path = learner_file(tmp_path, at_import=cheat, replace=WRONG_GATE_ORDER)
    result, _ = grade(path)
    failed = {check.name for check in result.checks if not check.passed}
    assert "test_h_and_c_match_torch_lstm_cell_with_the_same_weights" in failed
    assert result.earned < result.total


def test_a_forged_report_is_not_believed(tmp_path):
    """A process left behind writes a report giving every check full marks into each pipe
    its grading process holds (the report pipe among them), then kills that process so the
    genuine report never comes. Without the key it cannot sign it: nothing is earned."""
    every_check = [check.name for check in declared_checks(grader_path(EXERCISE))]
    forge = (
        "import hashlib, hmac, json, os, signal\n"
        "def forge():\n"
        "    with open(f'/proc/{os.getppid()}/stat', 'rb') as stat:\n"
        "        grader = int(stat.read().rsplit(b')', 1)[1].split()[1])\n"
        f"    checks = [dict(name=n, passed=True, message='', seconds=0) for n in {every_check!r}]\n"
        "    body = json.dumps({'lstm_cell': checks})\n"
        "    mac = hmac.new(b'a guessed key', body.encode(), hashlib.sha256).hexdigest()\n"
        "    forged = json.dumps({'body': body, 'mac': mac}).encode()\n"
        "    for fd in os.listdir(f'/proc/{grader}/fd'):\n"
        "        path = f'/proc/{grader}/fd/{fd}'\n"
        "        try:\n"
        "            if os.readlink(path).startswith('pipe:'):\n"
        "                out = os.open(path, os.O_WRONLY | os.O_NONBLOCK)\n"
        "                os.write(out, forged)\n"
        "                os.close(out)\n"
        "        except OSError:\n"
        "            pass\n"
        "    os.kill(grader, signal.SIGKILL)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    try:\n"
        "        forge()\n"
        "    finally:\n"
        "        os._exit(0)\n"
    )
    result, _ = grade(learner_file(tmp_path, at_import=forge, replace=WRONG_GATE_ORDER))
    assert_every_check_failed_saying(result, "did not come back")


def test_rewriting_the_kits_grader_files_voids_the_whole_run(tmp_path, monkeypatch):
    import course.graders.engine.grade as grade_module

    fingerprints = iter(
        [{"graders/test_lstm_cell.py": "before"}, {"graders/test_lstm_cell.py": "after"}]
    )
    monkeypatch.setattr(grade_module, "grader_fingerprint", lambda: next(fingerprints))
    result, _ = grade(solution_path(EXERCISE))
    assert_every_check_failed_saying(result, "grader files changed", "graders/test_lstm_cell.py")


FORBIDDEN_STYLES = {
    "attribute": "return torch.nn.LSTMCell",
    "from-import": "from torch.nn import LSTMCell as Cell\n    return Cell",
    "module alias": "import torch.nn as tnn\n    return tnn.LSTMCell",
    "an alias of torch": "T = torch\n    return T._VF.lstm_cell",
    "the _VF builtin": "return torch._VF.lstm_cell",
    "the torch builtin": "return torch.lstm_cell",
}


@pytest.mark.parametrize("style", FORBIDDEN_STYLES)
def test_calling_pytorchs_own_lstm_is_caught_whatever_the_import_style(tmp_path, style):
    """The cell's forward delegates to PyTorch's LSTM; each way of reaching it is caught."""
    helper = f"def _pytorch_lstm():\n    {FORBIDDEN_STYLES[style]}\n"
    delegate = {
        "        ### BEGIN SOLUTION\n        unbatched": "        ### BEGIN SOLUTION\n"
        "        _thing = _pytorch_lstm()\n"
        "        if isinstance(_thing, torch.nn.Module) or isinstance(_thing, type):\n"
        "            cell = _thing(self.input_size, self.hidden_size, bias=self.bias)\n"
        "            cell.load_state_dict(self.state_dict())\n"
        "            return cell(input, hx)\n"
        "        if hx is None:\n"
        "            hx = (input.new_zeros(*input.shape[:-1], self.hidden_size),) * 2\n"
        "        b = (self.bias_ih, self.bias_hh) if self.bias else (None, None)\n"
        "        return _thing(input, hx, self.weight_ih, self.weight_hh, *b)\n"
        "        unbatched"
    }
    path = learner_file(tmp_path, at_import=helper, replace=delegate)
    result, _ = grade(path)
    assert result.earned == 0, {c.name: c.message for c in result.checks if c.passed}
    for check in result.checks:
        assert "lstm" in check.message.lower() and "own version" in check.message, check.message
