"""What the generic obligations cannot say about the CIFAR-10 challenge: the whole path
(`course train`, the saved run, `course grade --data`) on synthetic data in both on-disk
formats, the result checks' messages, and one-line errors for missing or malformed data."""

import json
import os
import pickle
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import torch

from course.graders.kit.errors import UserError
from course.graders.cifar import data as cifar_data
from course.graders.cifar import plots as cifar_plots
from course.graders.cifar import run as cifar_run
from course.graders.engine.grade import grade_exercises
from course.graders.kit.manifest import find_exercise
from course.graders.kit.workspace import run_folder
from tests.trained_runs.cifar_challenge import (
    COURSE,
    reference_workspace,
    reference_run,
    reference_train_output,
    train_in_workspace,
    write_image_folder,
    write_pickles,
)

pytestmark = pytest.mark.slow
ACCURACY_CHECK = "test_saved_model_reaches_80_percent_on_the_cifar10_test_set"
RESULT_CHECKS = {
    ACCURACY_CHECK,
    "test_saved_run_took_at_most_30_epochs",
}


def grade(workspace: Path, data: Path | None) -> dict:
    """`course grade cifar_challenge --json` in `workspace`: {check name: (passed, message)}."""
    result = grade_exercises(workspace, [find_exercise("cifar_challenge")], data=data)[0]
    return {check.name: (check.passed, check.message) for check in result.checks}


def workspace_with_run(folder: Path, run: Path) -> Path:
    workspace = reference_workspace(folder)
    shutil.copytree(run, run_folder(workspace, "cifar_challenge"))
    return workspace


def test_course_grade_data_reaches_the_grader_and_the_trained_reference_earns_full_marks(
    tmp_path,
):
    data, run = reference_run()
    workspace = workspace_with_run(tmp_path / "ws", run)
    result = subprocess.run(
        [str(COURSE), "grade", "cifar_challenge", "--data", str(data), "--json"],
        cwd=workspace, capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert (report["earned"], result.returncode) == (report["total"], 0), result.stdout
    assert report["total"] == 31
    (accuracy_check,) = [c for c in report["checks"] if c["name"] == ACCURACY_CHECK]
    assert re.fullmatch(
        r"\d{2,3}\.\d\d% of the \d+ test images classified correctly\.", accuracy_check["message"]
    ), accuracy_check  # a passed result check says what it measured


def test_course_grade_without_data_uses_the_folder_the_run_was_trained_on_and_says_so(tmp_path):
    data, run = reference_run()  # trained with `course train --data DATA`
    workspace = workspace_with_run(tmp_path / "ws", run)
    result = subprocess.run(
        [str(COURSE), "grade", "cifar_challenge", "--json"],
        cwd=workspace, capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert (report["earned"], result.returncode) == (report["total"], 0), result.stdout
    assert f"data: {data.resolve()}, the --data of the saved run" in result.stderr


def test_course_train_saves_the_model_history_and_three_plots():
    _, run = reference_run()
    history = json.loads((run / cifar_run.HISTORY_FILE).read_text())
    summary = json.loads((run / cifar_run.RUN_FILE).read_text())
    assert [record["epoch"] for record in history] == [1, 2, 3]
    assert summary["epochs_run"] == 3 and summary["val_accuracy_of_saved_model"] >= 0.8
    for name in (cifar_run.EXPORT_FILE, cifar_run.CHECKPOINT_FILE, *cifar_plots.PLOT_FILES):
        assert (run / name).stat().st_size > 1000, name
    assert (run / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_train_loss_shown_is_the_one_saved_and_plotted():
    _, run = reference_run()
    history = json.loads((run / cifar_run.HISTORY_FILE).read_text())
    output = reference_train_output()
    shown = {
        int(match[1]): (float(match[2]), float(match[3]))
        for match in re.finditer(r"^\s*(\d+)\s+(\d+\.\d{3})\s+(\d+\.\d)%", output, re.M)
    }
    assert shown == {
        int(r["epoch"]): (round(r["train_loss"], 3), round(100 * r["train_acc"], 1))
        for r in history
    }, output
    assert not re.search(r"loss \d", output), "no second train loss, measured from outside"
    figure = cifar_plots.curves_figure(history, goal=cifar_run.TARGET_ACCURACY)
    plotted = figure.axes[0].lines[0].get_ydata()  # the loss panel's train line
    assert list(plotted) == [r["train_loss"] for r in history]


@pytest.mark.parametrize("epochs", [1, 3, 12, 30])
def test_curves_have_whole_epoch_ticks_and_a_labelled_goal_line(epochs):
    history = [
        {"epoch": e, "train_loss": 1 / e, "train_acc": 0.5, "val_loss": 1 / e, "val_acc": 0.6,
         "lr": 0.1}
        for e in range(1, epochs + 1)
    ]  # fmt: skip
    figure = cifar_plots.curves_figure(history, goal=0.8)
    figure.canvas.draw()
    for axes in figure.axes:
        ticks = [
            tick for tick in axes.get_xticks() if axes.get_xlim()[0] <= tick <= axes.get_xlim()[1]
        ]
        assert ticks and all(tick == int(tick) for tick in ticks), (axes.get_title(), ticks)
    accuracy = figure.axes[1]
    labels = [text.get_text() for text in accuracy.get_legend().get_texts()]
    assert "goal: 80%" in labels
    assert accuracy.get_ylim()[1] > 0.8, "the goal line is inside the plot"


def test_filters_are_square_in_a_grid_one_pixel_apart():
    filters = torch.randn(16, 3, 3, 3)
    mosaic = cifar_plots.filter_mosaic(filters, columns=8)
    assert mosaic.shape == (2 * 4 - 1, 8 * 4 - 1, 3)  # 3x3 filters, 1-pixel gaps
    assert torch.equal(mosaic[3, :, :], torch.ones(31, 3)), "a white row between the rows"
    first = mosaic[:3, :3]
    assert first.min() == 0 and first.max() == 1, "each filter stretched to its own range"
    figure = cifar_plots.filters_figure(filters)
    (axes,) = figure.axes
    assert axes.get_aspect() == 1.0, "square pixels"
    assert len(axes.images) == 1, "one mosaic, not 16 stretched panels"


def test_an_image_folder_copy_trains_and_grades_a_model_of_other_widths(tmp_path):
    data = write_image_folder(tmp_path / "jpeg", train_size=1000, test_size=300)
    workspace = reference_workspace(tmp_path / "ws")
    learner_file = workspace / "exercises" / "cifar_challenge.py"
    source = learner_file.read_text().replace("WIDTHS = (32, 64, 96)", "WIDTHS = (8, 16, 32)")
    assert "WIDTHS = (8, 16, 32)" in source
    learner_file.write_text(source)
    trained = train_in_workspace(workspace, data)
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert "decoded" in trained.stdout and "900 train / 100 validation" in trained.stdout
    verdicts = grade(workspace, data)
    assert all(passed for passed, _ in verdicts.values()), verdicts


def test_without_a_run_only_the_result_checks_fail_and_say_how_to_train(tmp_path):
    data, _ = reference_run()
    verdicts = grade(reference_workspace(tmp_path / "ws"), data)
    failed = {name for name, (passed, _) in verdicts.items() if not passed}
    assert failed == RESULT_CHECKS
    for name in RESULT_CHECKS:
        assert "course train cifar_challenge" in verdicts[name][1]


def test_without_the_dataset_the_result_check_says_where_it_looked_and_how_to_get_it(tmp_path):
    _, run = reference_run()
    verdicts = grade(workspace_with_run(tmp_path / "ws", run), data=None)
    passed, message = verdicts["test_saved_model_reaches_80_percent_on_the_cifar10_test_set"]
    assert not passed
    assert str(cifar_data.default_data_dir()) in message and "--data DIR" in message
    assert verdicts["test_saved_run_took_at_most_30_epochs"][0]


def test_a_saved_model_below_80_percent_or_of_another_architecture_earns_nothing(tmp_path):
    data, run = reference_run()
    weak = workspace_with_run(tmp_path / "weak", run)
    program = torch.export.load(run_folder(weak, "cifar_challenge") / cifar_run.EXPORT_FILE)
    final_layer = [name for name in program.state_dict if name.endswith("weight")][-1]
    with torch.no_grad():
        program.state_dict[final_layer].zero_()  # the same logits for every image: 10% accuracy
    torch.export.save(program, run_folder(weak, "cifar_challenge") / cifar_run.EXPORT_FILE)
    passed, message = grade(weak, data)[
        "test_saved_model_reaches_80_percent_on_the_cifar10_test_set"
    ]
    assert not passed and "10.00% of the 500 test images" in message

    stale = workspace_with_run(tmp_path / "stale", run)
    learner_file = stale / "exercises" / "cifar_challenge.py"
    source = learner_file.read_text().replace("WIDTHS = (32, 64, 96)", "WIDTHS = (32, 64, 128)")
    assert "WIDTHS = (32, 64, 128)" in source
    learner_file.write_text(source)
    verdicts = grade(stale, data)
    for name in RESULT_CHECKS:
        assert "train it again" in verdicts[name][1], verdicts[name]


def test_missing_or_malformed_data_is_one_line_saying_what_was_expected(tmp_path):
    with pytest.raises(UserError, match="no such folder"):
        cifar_data.load_split(tmp_path / "nowhere", "train")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="cifar-10-batches-py/ folder .* or an ImageFolder layout"):
        cifar_data.load_split(tmp_path / "empty", "train")
    broken = write_pickles(tmp_path / "broken", train_size=50, test_size=10)
    with open(broken / cifar_data.BATCHES_FOLDER / "test_batch", "wb") as file:
        pickle.dump({"data": [1, 2, 3]}, file)
    with pytest.raises(UserError, match="test_batch is not a CIFAR-10 batch file"):
        cifar_data.load_split(broken, "test")
    (tmp_path / "images" / "train" / "cat").mkdir(parents=True)
    with pytest.raises(UserError, match="lacks the class folders airplane, automobile, bird, deer"):
        cifar_data.load_split(tmp_path / "images", "train")

    result = subprocess.run(
        [str(COURSE), "train", "cifar_challenge", "--data", str(tmp_path / "empty"),
         "--workspace", str(reference_workspace(tmp_path / "ws"))],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: --data")


def test_a_second_load_reads_the_decoded_cache_and_gives_the_same_images(tmp_path):
    data = write_pickles(tmp_path / "data", train_size=50, test_size=20)
    decoded, cached = (cifar_data.load_split(data, "test") for _ in "12")
    assert (decoded.from_cache, cached.from_cache) == (False, True)
    assert torch.equal(cached.split.images, decoded.split.images)
    assert torch.equal(cached.split.labels, decoded.split.labels)
    assert cached.split.images.shape == (20, 3, 32, 32)


def test_the_validation_split_is_fixed_disjoint_and_a_tenth_of_the_training_set():
    images = torch.arange(50_000).view(-1, 1, 1, 1).expand(-1, 3, 32, 32)
    train = cifar_data.Split(images, torch.arange(50_000))
    (first_train, first_val), (_, again_val) = (cifar_data.train_val_split(train) for _ in "12")
    assert (len(first_train), len(first_val)) == (45_000, 5_000)
    assert torch.equal(first_val.labels, again_val.labels)
    assert not set(first_val.labels.tolist()) & set(first_train.labels.tolist())
