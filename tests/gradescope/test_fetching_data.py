"""setup.sh fetches the test set of an exercise that declares a dataset, and keeps only that."""

from course.graders.cifar import data as cifar_data
from course.graders.gradescope.container import data_folder, fetch_datasets
from course.graders.kit.manifest import load_manifest


def test_setup_keeps_only_the_test_batch_of_what_it_downloaded(tmp_path, monkeypatch):
    def fake_download(root):
        from torchvision.datasets import CIFAR10

        batches = root / cifar_data.BATCHES_FOLDER
        batches.mkdir(parents=True)
        for name in cifar_data.PICKLE_FILES["train"] + cifar_data.PICKLE_FILES["test"]:
            (batches / name).write_bytes(b"batch")
        (root / CIFAR10.filename).write_bytes(b"archive")

    monkeypatch.setattr(cifar_data, "_download", fake_download)
    with_dataset = [exercise for exercise in load_manifest() if exercise.dataset]
    fetch_datasets(tmp_path, with_dataset)
    kept = [path.relative_to(data_folder(tmp_path)) for path in data_folder(tmp_path).rglob("*")]
    assert sorted(map(str, kept)) == ["cifar-10-batches-py", "cifar-10-batches-py/test_batch"]


def test_a_test_set_already_in_place_is_not_downloaded_again(tmp_path, monkeypatch):
    def no_network(root):
        raise AssertionError("downloaded although the test set was there")

    monkeypatch.setattr(cifar_data, "_download", no_network)
    batches = data_folder(tmp_path) / cifar_data.BATCHES_FOLDER
    batches.mkdir(parents=True)
    (batches / "test_batch").write_bytes(b"batch")
    fetch_datasets(tmp_path, [exercise for exercise in load_manifest() if exercise.dataset])
    assert (batches / "test_batch").read_bytes() == b"batch"
