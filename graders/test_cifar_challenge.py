"""Grader for exercises/cifar_challenge.py: the CIFAR-10 mini challenge.

Probes (the plain functions below whose first argument is `impl`) run in the learner
process and only return tensors and records. The training-machinery checks hand the
learner's train() a tiny model made here and small synthetic batches, watch every forward
pass from a hook, and judge the returned weights here. The result checks evaluate the model
`course train` saved (a torch.export program: no learner code runs here) on the CIFAR-10
test set; options: `--data DIR` (as for `course train`), and the run is looked for in
<workspace>/runs/cifar_challenge (with --impl FILE: the workspace holding FILE).
"""

import json
import warnings
from pathlib import Path

import torch
from torch import nn

from course.graders.cifar import data as cifar_data
from course.graders.cifar import export as cifar_export
from course.graders.cifar import run as cifar_run
from course.graders.engine.checks import PASS_NOTE, check
from course.graders.engine.compare import CheckFailed, expect_shape

MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2470, 0.2435, 0.2616)
CROP_PADDING = 4
TINY_TRAIN_BATCH, TINY_VAL_BATCH, TINY_TRAIN_BATCHES, TINY_VAL_BATCHES = 16, 10, 8, 6
DRAWS = 4096
"""Images whose crop and flip are read off to measure how often each is drawn."""


# -- probes: run in the learner process, sent as source: they use only their arguments ----
def model_outputs(impl, images, num_classes):
    torch.manual_seed(0)
    model = impl.build_model() if num_classes == 10 else impl.build_model(num_classes=num_classes)
    model.eval()
    with torch.no_grad():
        evaluated, evaluated_again = model(images), model(images)
    model.train()
    with torch.no_grad():
        first, second = model(images), model(images)
        torch.manual_seed(1)
        seeded = model(images)
        for module in model.modules():
            if isinstance(module, nn.modules.dropout._DropoutNd):
                module.p = 0.0
        torch.manual_seed(1)
        without_dropout = model(images)
    return {"eval": evaluated, "eval_again": evaluated_again, "train": first, "train_again": second,
            "train_seeded": seeded, "train_without_dropout": without_dropout}  # fmt: skip


def model_structure(impl, images):
    torch.manual_seed(0)
    model = impl.build_model()
    block_type = getattr(impl, "ResidualBlock", None)
    blocks = [
        module
        for module in model.modules()
        if (isinstance(block_type, type) and isinstance(module, block_type))
        or type(module).__name__ == "ResidualBlock"
    ]
    strides = [getattr(getattr(block, "conv1", None), "stride", (1, 1))[0] for block in blocks]
    batchnorms = sum(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules())
    dropouts = [float(m.p) for m in model.modules() if isinstance(m, nn.modules.dropout._DropoutNd)]
    model.eval()
    used = []  # per block: do the logits change when its output is replaced by zeros?
    with torch.no_grad():
        logits = model(images)
        for block in blocks:
            forward = block.forward
            block.forward = lambda *args, forward=forward, **kwargs: torch.zeros_like(
                forward(*args, **kwargs)
            )
            used.append(not torch.equal(model(images), logits))
            del block.forward
    with torch.no_grad():  # silence every residual branch: only the skips can carry the image
        for block in blocks:
            if isinstance(getattr(block, "bn2", None), nn.BatchNorm2d):
                block.bn2.weight.zero_()
                block.bn2.bias.zero_()
    x = images.clone().requires_grad_()
    silenced = model(x)
    silenced.sum().backward()
    return {
        "blocks": len(blocks), "strides": strides, "used": used, "batchnorms": batchnorms,
        "dropouts": dropouts, "silenced": silenced.detach(), "input_grad": x.grad,
    }  # fmt: skip


def apply_transform(impl, which, images, repeats):
    torch.manual_seed(0)
    transform = impl.train_transform() if which == "train" else impl.eval_transform()
    return [transform(images.clone()) for _ in range(repeats)]


def crop_and_flip_draws(impl, count):
    """train_transform on `count` copies of ramps: red rises top to bottom, green and blue
    left to right. Returns each output's flip direction (+1 or -1: the slope of the green
    ramp) and its central 2x2 pixels, which show the shift."""
    torch.manual_seed(1)
    steps = torch.arange(32) * 7
    ramps = torch.stack([steps[:, None].expand(32, 32), steps.expand(32, 32), steps.expand(32, 32)])
    output = impl.train_transform()(ramps.to(torch.uint8).expand(count, 3, 32, 32).contiguous())
    # rows and columns 4..27 come from the image itself under any crop
    directions = output[:, 1, 4:28, 4:28].diff(dim=-1).mean(dim=(1, 2)).sign()
    return {"directions": directions, "centre": output[:, :, 15:17, 15:17]}


def model_signature(impl):
    torch.manual_seed(0)
    return {name: list(tensor.shape) for name, tensor in impl.build_model().state_dict().items()}


def run_training(impl, model_state, train_batches, val_batches, epochs):
    torch.manual_seed(0)
    model = nn.Sequential(nn.AvgPool2d(8), nn.Flatten(), nn.Dropout(0.3), nn.Linear(48, 10))
    model.load_state_dict(model_state)
    train_size, val_size = len(train_batches[0][1]), len(val_batches[0][1])
    forwards, snapshots, trained_weights = [], [], []

    def watch(module, inputs):
        size = inputs[0].shape[0]
        if size == val_size and (not forwards or forwards[-1][2] != val_size):
            snapshots.append({k: v.detach().clone() for k, v in module.state_dict().items()})
            rates.append(["val", read_rate(optimizers[0]) if optimizers else None])
        if size == train_size and module.training and torch.is_grad_enabled():
            weights = [parameter.detach().clone() for parameter in module.parameters()]
            if not trained_weights or not all(map(torch.equal, weights, trained_weights[-1])):
                trained_weights.append(weights)  # weights this batch met, if updated since
        forwards.append((module.training, torch.is_grad_enabled(), size))

    def read_rate(optimizer):
        try:
            return float(optimizer.param_groups[0]["lr"])
        except Exception:  # noqa: BLE001 - an optimizer of the learner's own making
            return None

    def record_rate(optimizer, args, kwargs):  # before every step of every torch.optim optimizer
        optimizers[:] = [optimizer]
        rates.append(["step", read_rate(optimizer)])

    from torch.optim.optimizer import register_optimizer_step_pre_hook

    rates, optimizers = [], []  # [what, the optimizer's rate then]: steps, validation passes
    model.register_forward_pre_hook(watch)
    rate_hook = register_optimizer_step_pre_hook(record_rate)
    try:
        history = impl.train(model, list(train_batches), list(val_batches), epochs, "cpu")
    finally:
        rate_hook.remove()
    final = {k: v.detach().clone() for k, v in model.state_dict().items()}
    rates.append(["end", read_rate(optimizers[0]) if optimizers else None])
    return {"history": history, "forwards": forwards, "snapshots": snapshots, "final": final,
            "sizes": [train_size, val_size], "updated_weights": len(trained_weights),
            "rates": rates}  # fmt: skip


# -- here: data, references, judgements ----------------------------------------------------
def random_images(count: int, seed: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(count, 3, 32, 32, generator=generator)


def normalised(images: torch.Tensor) -> torch.Tensor:
    """images (B, 3, H, W) uint8 -> what the contract's normalisation makes of them."""
    mean, std = torch.tensor(MEAN).view(1, 3, 1, 1), torch.tensor(STD).view(1, 3, 1, 1)
    return (images.double() / 255 - mean) / std


def pixels_of(output: torch.Tensor) -> torch.Tensor:
    """Undo the contract's normalisation: (B, 3, H, W) float -> pixel values in [0, 255]."""
    mean, std = torch.tensor(MEAN).view(1, 3, 1, 1), torch.tensor(STD).view(1, 3, 1, 1)
    return (output.double() * std + mean) * 255


def crop_and_flip_of(image: torch.Tensor, outputs: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """For each output (B, 3, H, W) pixels, the shift and flip of `image` it matches best.

    Returns (dy, dx, flipped, error): error is the largest pixel difference where the shifted
    image is defined (the padding may be anything).
    """
    _, height, width = image.shape
    candidates, errors = [], []
    for flipped in (False, True):
        for dy in range(-CROP_PADDING, CROP_PADDING + 1):
            for dx in range(-CROP_PADDING, CROP_PADDING + 1):
                shifted = torch.zeros_like(image)
                inside = torch.zeros(height, width, dtype=torch.bool)
                ys, xs = (
                    slice(max(0, -dy), min(height, height - dy)),
                    slice(max(0, -dx), min(width, width - dx)),
                )
                source_ys, source_xs = (
                    slice(ys.start + dy, ys.stop + dy),
                    slice(xs.start + dx, xs.stop + dx),
                )
                shifted[:, ys, xs] = image[:, source_ys, source_xs]
                inside[ys, xs] = True
                if flipped:
                    shifted, inside = shifted.flip(-1), inside.flip(-1)
                difference = (outputs - shifted).abs() * inside
                errors.append(difference.flatten(1).max(dim=1).values)
                candidates.append((dy, dx, flipped))
    errors = torch.stack(errors)  # (candidates, B)
    error, best = errors.min(dim=0)
    chosen = torch.tensor([candidates[i] for i in best.tolist()], dtype=torch.int64)
    return chosen[:, 0], chosen[:, 1], chosen[:, 2].bool(), error


def tiny_model_state(seed: int) -> dict:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.AvgPool2d(8), nn.Flatten(), nn.Dropout(0.3), nn.Linear(48, 10))
    return {name: tensor.clone() for name, tensor in model.state_dict().items()}


def tiny_model(state: dict) -> nn.Module:
    model = nn.Sequential(nn.AvgPool2d(8), nn.Flatten(), nn.Dropout(0.3), nn.Linear(48, 10))
    model.load_state_dict(state)
    return model.eval()


def tiny_task(seed: int, batches: int, batch_size: int, permute: bool = False) -> list[tuple]:
    """Batches of a 10-class task a linear model learns: each class has its own 4x4 colour map.

    With `permute` the labels are shifted by one class: what fits the task misses them all.
    """
    templates = 2 * torch.rand(10, 3, 4, 4, generator=torch.Generator().manual_seed(7)) - 1
    templates = templates.repeat_interleave(8, dim=2).repeat_interleave(8, dim=3)  # (10, 3, 32, 32)
    generator = torch.Generator().manual_seed(seed)
    result = []
    for _ in range(batches):
        labels = torch.randint(0, 10, (batch_size,), generator=generator)
        images = templates[labels] + 0.5 * torch.randn(batch_size, 3, 32, 32, generator=generator)
        result.append((images, (labels + 1) % 10 if permute else labels))
    return result


def measure(state: dict, batches: list[tuple]) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) of the tiny model with `state`, here, in eval mode."""
    model = tiny_model(state)
    images = torch.cat([images for images, _ in batches])
    labels = torch.cat([labels for _, labels in batches])
    with torch.no_grad():
        logits = model(images)
    return float(nn.functional.cross_entropy(logits, labels)), float(
        (logits.argmax(dim=1) == labels).float().mean()
    )


def training_result(got: object, epochs: int) -> dict:
    """The probe's result with its history checked against the contract."""
    if not isinstance(got, dict) or not isinstance(got.get("history"), list):
        raise CheckFailed(
            "train() must return its history: a list with one dict per epoch run "
            f"(keys {', '.join(cifar_run.HISTORY_KEYS)}); got {type(got.get('history') if isinstance(got, dict) else got).__name__}."
        )
    history = got["history"]
    if not 1 <= len(history) <= epochs:
        raise CheckFailed(
            f"train(..., epochs={epochs}) returned {len(history)} records: expected 1 to {epochs}, one per epoch run."
        )
    for number, record in enumerate(history, start=1):
        missing = [
            k for k in cifar_run.HISTORY_KEYS if not isinstance(record, dict) or k not in record
        ]
        if missing:
            raise CheckFailed(f"Record {number} of train()'s history lacks {', '.join(missing)}.")
        if not all(isinstance(record[k], (int, float)) for k in cifar_run.HISTORY_KEYS):
            raise CheckFailed(
                f"Record {number} holds a value that is not a plain number (use .item() or float())."
            )
    return without_a_final_evaluation(without_a_baseline(got))


def validation_passes(got: dict) -> list[int]:
    """Where in `forwards` each pass over the validation set starts (as run_training's hook
    takes its snapshots: a val-sized batch after one of another size), worked out here."""
    val_size = got["sizes"][1]
    sizes = [forward[2] for forward in got["forwards"]]
    return [
        index
        for index, size in enumerate(sizes)
        if size == val_size and (index == 0 or sizes[index - 1] != val_size)
    ]


def without_a_baseline(got: dict) -> dict:
    """The run without a validation pass before the first epoch that only measured the
    untrained weights (a baseline, as Lightning's sanity check makes one): it is not an epoch.

    It counts as such when the validation set went through the model once or twice more than
    there are records (twice: with a final evaluation as well), the first of those passes came
    before the first train batch, and everything before that batch ran in eval mode without
    gradients; its forwards and snapshot are left out. Everything else is left for the checks.
    """
    forwards, starts = got["forwards"], validation_passes(got)
    first_training = next(
        (index for index, (training, grad, _) in enumerate(forwards) if training and grad), None
    )
    extra = len(got["snapshots"]) - len(got["history"])
    if first_training is None or extra not in (1, 2) or len(starts) != len(got["snapshots"]):
        return got
    if starts[0] > first_training or any(
        training or grad for training, grad, _ in forwards[:first_training]
    ):
        return got
    return {**got, "forwards": forwards[first_training:], "snapshots": got["snapshots"][1:]}


def without_a_final_evaluation(got: dict) -> dict:
    """The run without a last validation pass after the loop that only measured (e.g. to print
    the restored model's numbers): that pass is not an epoch.

    It counts as such when the validation set went through the model once more than there
    are records, and nothing trained from the start of the pass before it to the end (so the
    last epoch's record is not what is missing); everything else is left for the checks.
    """
    starts = validation_passes(got)
    if not len(got["snapshots"]) == len(starts) == len(got["history"]) + 1 >= 2:
        return got
    if any(training or grad for training, grad, _ in got["forwards"][starts[-2] :]):
        return got
    return {**got, "snapshots": got["snapshots"][:-1]}


def loaded_run(folder: Path) -> Path:
    """The run folder `course train` wrote, or a failure saying how to make one."""
    missing = [
        name
        for name in (cifar_run.EXPORT_FILE, cifar_run.HISTORY_FILE)
        if not (folder / name).is_file()
    ]
    if missing:
        raise CheckFailed(
            f"No trained model in {folder} ({', '.join(missing)} missing): run "
            "`course train cifar_challenge` (add --data DIR if you have CIFAR-10 somewhere), "
            "which saves the best model there, then grade again."
        )
    return folder


def cifar_test_split(dataset_folder: Path | None) -> cifar_data.Split:
    try:
        return cifar_data.load_split(dataset_folder, "test").split
    except Exception as error:  # noqa: BLE001 - a missing or broken dataset, said in one line
        raise CheckFailed(
            f"The CIFAR-10 test set is needed to grade the saved model: {error} "
            "`course grade cifar_challenge --data DIR` takes the same data as `course train`."
        ) from None


def expect_same_model(run_folder: Path, learner) -> Path:
    """The run folder, after checking that the saved model has the learner's current layers."""
    signature = learner.run(model_signature)
    folder = loaded_run(run_folder)
    saved = cifar_export.exported_parameter_shapes(folder / cifar_run.EXPORT_FILE)
    if saved != signature:
        differing = sorted(set(saved) ^ set(signature)) or sorted(
            name for name in saved if saved[name] != signature.get(name)
        )
        differing = differing[:4]
        raise CheckFailed(
            f"The model saved in {folder} does not have the layers your build_model() makes now"
            f"{' (e.g. ' + ', '.join(differing) + ')' if differing else ' (shapes differ)'}: "
            "train it again with `course train cifar_challenge`."
        )
    return folder


# -- architecture --------------------------------------------------------------------------
@check(points=2)
def test_model_maps_a_batch_of_images_to_one_logit_per_class(learner):
    """build_model() maps images (B, 3, 32, 32) to logits (B, 10); build_model(num_classes=7) to (B, 7)."""
    images = random_images(4, seed=0)
    for classes in (10, 7):
        got = learner.run(model_outputs, images, classes)
        for mode in ("eval", "train"):
            logits = expect_shape(
                got[mode] if isinstance(got, dict) else got,
                (4, classes),
                f"the logits in {mode} mode",
            )
            if not torch.isfinite(logits).all():
                raise CheckFailed(
                    f"build_model(num_classes={classes}) gives non-finite logits in {mode} mode."
                )


@check(points=3)
def test_model_is_built_from_your_residual_blocks_with_working_skips(learner):
    """The model passes the image through at least two of your ResidualBlocks (one with stride 2), and the image still gets through when every block's residual branch is silenced."""
    images = random_images(4, seed=1)
    got = learner.run(model_structure, images)
    if got["blocks"] < 2:
        raise CheckFailed(
            f"build_model() holds {got['blocks']} ResidualBlock(s); at least two were expected. "
            "Build the network from your own block: `from residual_block import ResidualBlock`."
        )
    used = [stride for stride, on_path in zip(got["strides"], got["used"]) if on_path]
    if len(used) < 2:
        raise CheckFailed(
            f"build_model() holds {got['blocks']} ResidualBlocks, but replacing a block's output "
            f"by zeros changes the logits for only {len(used)} of them: the others are never "
            "called, or their output is thrown away. The model's forward must pass the image "
            "through at least two of your blocks."
        )
    if max(used) < 2:
        raise CheckFailed(
            "None of the ResidualBlocks your model uses has stride 2: the network never halves "
            "the resolution (32x32 -> 16x16 -> ...), which is where a ResNet widens its channels."
        )
    spread = float(got["silenced"].std(dim=0).max())
    gradient = float(got["input_grad"].abs().max()) if got["input_grad"] is not None else 0.0
    if spread < 1e-6 or gradient == 0.0:
        raise CheckFailed(
            "With every block's residual branch silenced (bn2 weight and bias set to 0), your "
            "model gives the same logits for every image and no gradient reaches the input: "
            "the blocks' skip connections do not carry the signal. Is the model's forward "
            "bypassing the blocks' own forward, or is the sum main + shortcut missing?"
        )


@check(points=2)
def test_model_has_batchnorm_and_dropout_that_is_off_in_eval_mode(learner):
    """The model uses BatchNorm and Dropout; dropout makes train-mode outputs random and eval-mode outputs deterministic."""
    images = random_images(8, seed=2)
    structure = learner.run(model_structure, images)
    if structure["batchnorms"] == 0:
        raise CheckFailed("build_model() has no BatchNorm layer (nn.BatchNorm2d).")
    if not any(p > 0 for p in structure["dropouts"]):
        raise CheckFailed(
            "build_model() has no active Dropout (nn.Dropout with p > 0), e.g. before the "
            "final Linear layer."
        )
    got = learner.run(model_outputs, images, 10)
    if not torch.equal(got["eval"], got["eval_again"]):
        raise CheckFailed(
            "Two forward passes in eval mode on the same images gave different logits: "
            "something random stays on after model.eval(). Likely cause: F.dropout(x, p) "
            "without training=self.training (its training argument defaults to True); use "
            "nn.Dropout modules, which follow model.train()/model.eval()."
        )
    if torch.equal(got["train"], got["train_again"]):
        raise CheckFailed(
            "Two forward passes in train mode gave identical logits: the Dropout never acts. "
            "Use nn.Dropout modules (they follow model.train()/model.eval()), not F.dropout "
            "with training=False."
        )
    if torch.equal(got["train_seeded"], got["train_without_dropout"]):
        raise CheckFailed(  # the randomness seen above came from elsewhere
            "With every Dropout's p set to 0, train-mode logits stay exactly the same (same "
            "random seed): the model's nn.Dropout modules are never used in its forward. Call "
            "them on the activations, e.g. before the final Linear layer."
        )


# -- transforms ------------------------------------------------------------------------------
@check(points=2)
def test_eval_transform_only_normalises(learner):
    """eval_transform() maps uint8 (B, 3, 32, 32) to float32 (x / 255 - MEAN) / STD per channel, the same on every call."""
    images = (random_images(16, seed=3) * 255).to(torch.uint8)
    got = learner.run(apply_transform, "eval", images, 2)
    first = expect_shape(got[0], (16, 3, 32, 32), "eval_transform's output")
    if first.dtype != torch.float32:
        raise CheckFailed(f"eval_transform's output is {first.dtype}; float32 was expected.")
    if not torch.equal(got[0], got[1]):
        raise CheckFailed(
            "eval_transform gave different results for the same images: it is random. "
            "Augmentation (crops, flips) belongs only in train_transform; evaluation must "
            "see each image as it is."
        )
    expected = normalised(images)
    error = float((first.double() - expected).abs().max())
    if error > 1e-4:
        cause = ""
        if float((first.double() - images.double() / 255).abs().max()) < 1e-4:
            cause = " It looks scaled to [0, 1] but not normalised with MEAN and STD."
        elif float((first.double() - normalised(images.flip(-1))).abs().max()) < 1e-4:
            cause = " It matches the flipped images: augmentation is applied at evaluation."
        raise CheckFailed(
            f"eval_transform differs from (x / 255 - MEAN) / STD by up to {error:.3g}.{cause}"
        )


@check(points=3)
def test_train_transform_crops_and_flips_each_image_independently(learner):
    """train_transform() gives each image its own random crop (up to 4 px shift) and flip (p = 1/2), then normalises like eval_transform."""
    image = (random_images(1, seed=4) * 255).to(torch.uint8)
    images = image.repeat(256, 1, 1, 1)
    got = learner.run(apply_transform, "train", images, 1)
    output = expect_shape(got[0], (256, 3, 32, 32), "train_transform's output")
    if output.dtype != torch.float32:
        raise CheckFailed(f"train_transform's output is {output.dtype}; float32 was expected.")
    dy, dx, flipped, error = crop_and_flip_of(image[0].double(), pixels_of(output))
    worst = int(error.argmax())
    if float(error[worst]) > 1.0:
        raise CheckFailed(
            f"Output image {worst} is not a crop (shifted by at most {CROP_PADDING} pixels) of the "
            "input, possibly flipped left-right, normalised with (x / 255 - MEAN) / STD: the "
            f"closest such image differs by {float(error[worst]):.1f} pixel levels. Crop and "
            "flip only, and normalise as eval_transform does."
        )
    combinations = len(set(zip(dy.tolist(), dx.tolist(), flipped.tolist())))
    if combinations == 1:
        raise CheckFailed(
            "All 256 copies of one image in a batch got the same crop and flip: the random "
            "draw is made once per batch (as torchvision's v2.RandomCrop does on a batch). "
            "Draw a shift and a flip for each image."
        )
    shifts = len(set(zip(dy.tolist(), dx.tolist())))
    offsets = set(range(-CROP_PADDING, CROP_PADDING + 1))
    for axis, drawn in (("vertical", dy), ("horizontal", dx)):
        missing = sorted(offsets - set(drawn.tolist()))
        if missing:  # each offset has chance 1/9 per crop: missing among 256 crops is ~1e-13
            raise CheckFailed(
                f"Among 256 crops the {axis} shift never was {missing}: expected every shift "
                f"from -{CROP_PADDING} to {CROP_PADDING} ({2 * CROP_PADDING + 1} values, drawn "
                "uniformly). Likely cause: an off-by-one in the random offset; "
                f"torch.randint(0, 2 * {CROP_PADDING} + 1, ...) draws 0..{2 * CROP_PADDING} (its "
                "upper bound is excluded)."
            )
    if shifts < 30:
        raise CheckFailed(
            f"Only {shifts} different shifts among 256 crops: expected shifts drawn uniformly "
            f"from -{CROP_PADDING}..{CROP_PADDING} in both directions (81 possible)."
        )
    draws = learner.run(crop_and_flip_draws, DRAWS)
    draws = draws if isinstance(draws, dict) else {}
    directions = expect_shape(draws.get("directions"), (DRAWS,), "the flip directions")
    flip_share = float((directions < 0).double().mean())
    if not 0.45 <= flip_share <= 0.55:  # by chance outside: < 2 exp(-2 * 4096 * 0.05^2) < 3e-9
        raise CheckFailed(
            f"{flip_share:.1%} of {DRAWS} images were flipped; half (45% to 55%) was "
            "expected. Likely cause: flip when torch.rand(...) < 0.5, with probability 1/2, "
            "not another threshold."
        )
    centre = expect_shape(draws.get("centre"), (DRAWS, 3, 2, 2), "the centres of the crops")
    expect_uniform_shifts(pixels_of(centre))


def expect_uniform_shifts(centre: torch.Tensor) -> None:
    """Each shift from -CROP_PADDING to CROP_PADDING, in each direction, drawn 1/9 of the time.

    `centre`: (B, 3, 2, 2) pixels at rows and columns 15..16 of crops of the ramps of
    crop_and_flip_draws: there red is 7 * (15.5 + dy) on average, green 7 * (15.5 + dx),
    whatever the flip.
    """
    offsets = 2 * CROP_PADDING + 1
    for axis, channel in (("vertical", 0), ("horizontal", 1)):
        shift = centre[:, channel].mean(dim=(1, 2)) / 7 - 15.5
        drawn = shift.round()
        if float((shift - drawn).abs().max()) > 0.1 or float(drawn.abs().max()) > CROP_PADDING:
            raise CheckFailed(
                f"Some of {len(shift)} copies of one image are not crops of it shifted by at most "
                f"{CROP_PADDING} pixels: crop and flip only, and normalise as eval_transform does."
            )
        shares = torch.bincount(drawn.long() + CROP_PADDING, minlength=offsets) / len(shift)
        # a share is 1/9 give or take 0.5% (one standard deviation over 4096 draws): off by a
        # quarter of 1/9 is 5.6 of them, by chance < 1e-6 for the 18 shares together
        if not bool(((shares - 1 / offsets).abs() <= 0.25 / offsets).all()):
            listed = ", ".join(
                f"{shift:+d}: {share:.1%}"
                for shift, share in zip(range(-CROP_PADDING, CROP_PADDING + 1), shares.tolist())
            )
            raise CheckFailed(
                f"Among {len(shift)} crops the {axis} shifts came out as {listed}; each of the "
                f"{offsets} shifts should be equally likely ({1 / offsets:.1%}). Likely cause: "
                "rounding a random float (the two extreme shifts then come half as often) or "
                f"another non-uniform draw; torch.randint(0, 2 * {CROP_PADDING} + 1, ...) draws "
                "each offset equally often."
            )


# -- training machinery (a tiny model made here, synthetic batches) ---------------------------
LEARN_EPOCHS, STALL_EPOCHS = 8, 30


LEARN_VAL_BATCHES = tiny_task(11, TINY_VAL_BATCHES, TINY_VAL_BATCH) + tiny_task(
    14, 1, 2, permute=True
)
"""Ends with a short batch of two mislabelled images: a mean of the batches' mean losses or
accuracies weighs them 1/7 instead of 2/62 and misses the mean over every image."""


def learning_run(learner) -> dict:
    train_batches = tiny_task(10, TINY_TRAIN_BATCHES, TINY_TRAIN_BATCH)
    got = learner.run(
        run_training, tiny_model_state(12), train_batches, LEARN_VAL_BATCHES, LEARN_EPOCHS
    )
    return training_result(got, LEARN_EPOCHS)


def expect_history_measures_validation(got: dict, val_batches: list[tuple]) -> None:
    """Each record's val_loss and val_acc: in range, and what the epoch's weights give here."""
    history, snapshots = got["history"], got["snapshots"]
    for number, record in enumerate(history, start=1):
        for key in ("train_acc", "val_acc"):
            if not 0.0 <= record[key] <= 1.0:
                raise CheckFailed(
                    f"Record {number} has {key} = {record[key]!r}; accuracies are fractions in "
                    "[0, 1] (correct / seen), not percentages."
                )
        for key in ("train_loss", "val_loss"):
            if not 0.0 <= record[key] < float("inf"):
                raise CheckFailed(
                    f"Record {number} has {key} = {record[key]!r}; a mean cross-entropy is "
                    "finite and >= 0."
                )
    if len(snapshots) != len(history):
        raise CheckFailed(
            f"The history has {len(history)} records, but the validation set went through the "
            f"model in {len(snapshots)} separate passes: validate once per epoch, after "
            "training on train_loader only, and record every epoch."
        )
    batch_means = (
        "it matches the mean of the batches' means, which weighs the short last batch as much "
        "as a full one: add loss * len(labels) (and the correct count) per batch, divide by "
        "the number of images"
    )
    for number, (record, state) in enumerate(zip(history, snapshots), start=1):
        loss, accuracy = measure(state, val_batches)  # plain cross-entropy, eval mode, here
        per_batch = [measure(state, [batch]) for batch in val_batches]
        loss_of_batches, accuracy_of_batches = (sum(v) / len(per_batch) for v in zip(*per_batch))
        if abs(record["val_acc"] - accuracy) > 0.05:
            cause = "val_acc is not correct / seen over the whole val_loader, in eval mode"
            if abs(record["val_acc"] - accuracy_of_batches) <= 0.01:
                cause = batch_means
            raise CheckFailed(
                f"Record {number} has val_acc {record['val_acc']:.3f}, but the model's weights "
                f"of that epoch classify {accuracy:.3f} of the validation images correctly "
                f"(measured here, in eval mode). Likely cause: {cause}."
            )
        if abs(record["val_loss"] - loss) > 0.05 * loss + 0.02:
            cause = (
                "the validation loss uses label smoothing (only the training loss may), is not "
                "the mean over every validation image, or was measured in train mode (dropout on)"
            )
            if abs(record["val_loss"] - loss_of_batches) <= 0.01 * loss_of_batches:
                cause = batch_means
            raise CheckFailed(
                f"Record {number} has val_loss {record['val_loss']:.4f}, but the model's "
                f"weights of that epoch give a mean cross-entropy of {loss:.4f} over the "
                f"validation images (measured here, in eval mode). Likely cause: {cause}."
            )


@check(points=2, timeout=20)
def test_training_returns_one_record_per_epoch_and_learns(learner):
    """train() returns one record per epoch (val loss and accuracy as measured here, accuracies in [0, 1], lr) and leaves weights that solve an easy task (>= 90%, measured here)."""
    got = learning_run(learner)
    epochs = [int(record["epoch"]) for record in got["history"]]
    if epochs != list(range(1, len(epochs) + 1)):
        raise CheckFailed(f"The history's epochs are {epochs}: expected 1, 2, 3, ... in order.")
    expect_history_measures_validation(got, LEARN_VAL_BATCHES)
    _, accuracy = measure(got["final"], tiny_task(13, 20, 50))
    if accuracy < 0.9:
        raise CheckFailed(
            f"After train(), a small linear model reaches {accuracy:.0%} on an easy task "
            "(measured here on fresh examples); at least 90% was expected. Does every batch "
            "of train_loader get zero_grad, backward and an optimizer step?"
        )


@check(points=3, timeout=20)
def test_validation_runs_in_eval_mode_without_gradients_and_never_trains(learner):
    """Every train batch goes through the model in train mode with gradients, one update each per epoch; every validation batch in eval mode (dropout off) under torch.no_grad(), after that epoch's training."""
    got = learning_run(learner)
    train_size, val_size = got["sizes"]
    forwards = [tuple(forward) for forward in got["forwards"]]
    val_forwards = [f for f in forwards if f[2] == val_size]
    train_forwards = [f for f in forwards if f[2] == train_size]
    if any(training and grad for training, grad, _ in val_forwards):
        raise CheckFailed(
            "Validation batches went through the model in train mode with gradients on: the "
            "loop trains on val_loader (it must only measure) or validates without "
            "model.eval() and torch.no_grad()."
        )
    if not val_forwards:
        raise CheckFailed("No batch of val_loader went through the model: validate every epoch.")
    if any(training for training, _, _ in val_forwards):
        raise CheckFailed(
            "Validation ran with the model in train mode: call model.eval() before the "
            "validation pass (dropout must be off and BatchNorm must use its running statistics), "
            "and model.train() again before the next epoch."
        )
    if any(grad for _, grad, _ in val_forwards):
        raise CheckFailed("Validation ran with gradients enabled: wrap it in torch.no_grad().")
    for number, start in enumerate(validation_passes(got)[: len(got["history"])], start=1):
        trained_before = sum(
            1
            for training, grad, size in forwards[:start]
            if training and grad and size == train_size
        )
        if trained_before < number * TINY_TRAIN_BATCHES:
            raise CheckFailed(
                f"Validation pass {number} started after {trained_before} train batches; "
                f"{number * TINY_TRAIN_BATCHES} ({TINY_TRAIN_BATCHES} per epoch) were expected "
                "before it. Validate at the end of each epoch, after its pass over train_loader, "
                "so that the epoch's val numbers (and early stopping) measure the weights it trained."
            )
    trained = [f for f in train_forwards if f[0] and f[1]]
    if len(trained) < len(got["history"]) * TINY_TRAIN_BATCHES:
        raise CheckFailed(
            f"Over {len(got['history'])} epochs, only {len(trained)} train batches went through "
            f"the model in train mode with gradients; {TINY_TRAIN_BATCHES} per epoch were expected."
        )
    if got["updated_weights"] > len(got["history"]) * TINY_TRAIN_BATCHES:
        raise CheckFailed(
            f"Over {len(got['history'])} epochs the train batches met {got['updated_weights']} "
            f"different sets of weights: more than one update per batch of train_loader "
            f"({TINY_TRAIN_BATCHES} per epoch). Likely cause: more than one pass over "
            "train_loader per recorded epoch; each epoch is one pass, and every epoch run is "
            "recorded in the history."
        )


@check(points=2, timeout=20)
def test_learning_rate_follows_a_schedule(learner):
    """The learning rate follows a schedule: the rate recorded in the history changes from epoch to epoch, or the optimizer's rate changed during training (a warm-up, then a constant rate) and each record holds its rate at that epoch's end; all finite and >= 0."""
    got = learning_run(learner)
    rates = [float(record["lr"]) for record in got["history"]]
    if not all(rate >= 0 and rate == rate and rate != float("inf") for rate in rates):
        raise CheckFailed(f"The recorded learning rates {rates} are not all finite and >= 0.")
    if len(rates) < 2 or max(rates) - min(rates) <= 1e-9 * max(rates):
        used, at_epoch_ends = rates_in_use(got.get("rates"))
        if len(used) >= 2 and max(used) - min(used) > 1e-9 * max(used):
            tolerance = 1e-9 * max(used)
            if at_epoch_ends and all(
                any(abs(rates[0] - rate) <= tolerance for rate in possible)
                for possible in at_epoch_ends
            ):
                return  # e.g. a one-epoch warm-up, then a constant rate: a schedule all the same
            raise CheckFailed(
                f"Your optimizer's learning rate went from {min(used):g} to {max(used):g} during "
                f"training, but the history records {rates[0]:g} in every epoch, not the rate "
                "the optimizer had at each epoch's end: record scheduler.get_last_lr()[0] (or "
                "optimizer.param_groups[0]['lr']) at the end of each epoch."
            )
        raise CheckFailed(
            f"The learning rate stayed at {rates[0]:g} in every epoch: add a scheduler "
            "(e.g. torch.optim.lr_scheduler.OneCycleLR or CosineAnnealingLR) and record "
            "scheduler.get_last_lr()[0] (or optimizer.param_groups[0]['lr']) each epoch."
        )


def rates_in_use(events: object) -> tuple[list, list]:
    """The rates the optimizer stepped with, and for each validation pass after its first step
    the rates an epoch's record may hold: the one during the pass, or the one the next step
    used (the history may be written after a scheduler.step() at the epoch's end).

    `events`: [what, rate] in the order they happened, read by the probe from the optimizer
    before each of its steps ("step"), at the start of each validation pass ("val"), and
    after train() returned ("end").
    """
    if not isinstance(events, list) or not all(
        isinstance(event, list) and len(event) == 2 for event in events
    ):
        return [], []
    stepped = [rate for what, rate in events if what == "step" and isinstance(rate, float)]
    at_epoch_ends, started = [], False
    for index, (what, rate) in enumerate(events):
        started = started or what == "step"
        if what == "val" and started:
            after = [later for kind, later in events[index:] if kind in ("step", "end")][:1]
            at_epoch_ends.append({r for r in [rate, *after] if isinstance(r, float)})
    return stepped, at_epoch_ends


def improving_epochs(history: list[dict]) -> set[int]:
    """0-based epochs whose val_loss beat every earlier one, or whose val_acc did.

    An EarlyStopping on either (with any min_delta) can only have its best at one of these.
    """
    improving = set()
    for key, better in (("val_loss", float.__lt__), ("val_acc", float.__gt__)):
        values = [float(record[key]) for record in history]
        improving |= {n for n, v in enumerate(values) if all(better(v, w) for w in values[:n])}
    return improving


def worsening_run(learner, epochs: int) -> dict:
    """A run whose validation labels are shifted: the better it fits, the worse it validates."""
    train_batches = tiny_task(20, TINY_TRAIN_BATCHES, TINY_TRAIN_BATCH)
    got = learner.run(run_training, tiny_model_state(22), train_batches, STALL_VAL_BATCHES, epochs)
    got = training_result(got, epochs)
    if len(got["snapshots"]) != len(got["history"]):
        raise CheckFailed(
            f"The history has {len(got['history'])} records, but the validation set went "
            f"through the model in {len(got['snapshots'])} separate passes: validate once per "
            "epoch, after training on train_loader only."
        )
    return got


def restored_epoch(got: dict) -> int | None:
    """The 0-based epoch whose validated weights the model holds at the end, if any."""
    final = got["final"]
    for index, state in enumerate(got["snapshots"]):
        if state.keys() == final.keys() and all(torch.equal(state[k], final[k]) for k in state):
            return index
    return None


def expect_best_validation_weights(got: dict, ending: str) -> None:
    """The model ends with the weights of an epoch that improved the validation loss or accuracy, not the last."""
    history, last = got["history"], len(got["history"]) - 1
    epoch = restored_epoch(got)
    if epoch is None or epoch == last or epoch not in improving_epochs(history):
        held = {None: "no validated epoch's", last: "the last epoch's"}.get(
            epoch, f"epoch {epoch + 1 if epoch is not None else 0}'s"
        )
        raise CheckFailed(
            f"{ending}, but the model holds {held} weights, not those of its best validation "
            "epoch (by val_loss or val_acc). Likely cause: call your EarlyStopping's "
            "step(val_loss or val_acc, model) every epoch (a validation number, not the "
            "training loss) and restore(model) once after the loop, whether it stopped early "
            "or ran out of epochs."
        )


STALL_VAL_BATCHES = tiny_task(21, TINY_VAL_BATCHES, TINY_VAL_BATCH, permute=True)
BUDGET_EPOCHS = 3
"""Fewer epochs than a patience of 3 to 10 needs: such a run ends by running out of epochs."""
MAX_PATIENCE = 10


@check(points=4, timeout=30)
def test_early_stopping_ends_a_worsening_run_and_restores_the_best_weights(learner):
    """When validation only gets worse, training stops within 10 epochs of its best validation epoch; the model ends with that epoch's weights, also when the epoch budget runs out first."""
    got = worsening_run(learner, STALL_EPOCHS)
    history = got["history"]
    epochs_run = len(history)
    if epochs_run >= STALL_EPOCHS:
        raise CheckFailed(
            f"Validation got worse epoch after epoch, yet training ran all {STALL_EPOCHS} "
            "epochs: call your EarlyStopping's step(val_metric, model) each epoch and break "
            f"when it returns True (patience at most {MAX_PATIENCE})."
        )
    since_best = epochs_run - 1 - max(improving_epochs(history))
    if since_best > MAX_PATIENCE:
        raise CheckFailed(
            f"Training stopped {since_best} epochs after the last epoch that improved the "
            f"validation loss or accuracy (epochs {epochs_run} in all); with patience at most "
            f"{MAX_PATIENCE} on a validation number it stops within {MAX_PATIENCE} epochs. "
            "Likely cause: a patience above 10, or early stopping on the training loss "
            "(which keeps improving here) instead of val_loss or val_acc."
        )
    expect_best_validation_weights(got, f"Training stopped after {epochs_run} epochs")
    budget = worsening_run(learner, BUDGET_EPOCHS)
    last = len(budget["history"]) - 1
    if last in improving_epochs(budget["history"]):
        return  # its last epoch validated best: ending with the last weights is right there
    expect_best_validation_weights(
        budget, f"train(..., epochs={BUDGET_EPOCHS}) validated worse in its last epoch"
    )


# -- the result: the saved model on the test set ----------------------------------------------
@check(points=6, timeout=60)
def test_saved_model_reaches_80_percent_on_the_cifar10_test_set(
    learner, run_folder_of_exercise, dataset_folder, record_property
):
    """The model `course train` saved, evaluated here on the 10k CIFAR-10 test images, reaches >= 80% accuracy."""
    folder = expect_same_model(run_folder_of_exercise, learner)
    test = cifar_test_split(dataset_folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        predict = cifar_export.load_exported(folder / cifar_run.EXPORT_FILE)
    accuracy, _ = cifar_run.evaluate(predict, test)
    if accuracy < cifar_run.TARGET_ACCURACY:
        raise CheckFailed(
            f"The saved model classifies {accuracy:.2%} of the {len(test)} test images correctly; "
            f"{cifar_run.TARGET_ACCURACY:.0%} is the goal. Look at {folder / 'curves.png'}: "
            "if validation accuracy was still rising, train longer (--epochs, at most 30); "
            "if train accuracy is far above validation, add augmentation or dropout."
        )
    record_property(
        PASS_NOTE, f"{accuracy:.2%} of the {len(test)} test images classified correctly."
    )


@check(points=2)
def test_saved_run_took_at_most_30_epochs(learner, run_folder_of_exercise):
    """The history `course train` saved with the model has between 1 and 30 epochs."""
    folder = expect_same_model(run_folder_of_exercise, learner)
    try:
        history = json.loads((folder / cifar_run.HISTORY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CheckFailed(
            f"{folder / cifar_run.HISTORY_FILE} is unreadable ({error}): train again."
        ) from None
    if not isinstance(history, list) or not 1 <= len(history) <= cifar_run.MAX_EPOCHS:
        count = len(history) if isinstance(history, list) else "no"
        raise CheckFailed(
            f"The saved run has {count} epochs; the challenge allows at most "
            f"{cifar_run.MAX_EPOCHS}: train again with --epochs {cifar_run.MAX_EPOCHS} or fewer."
        )
