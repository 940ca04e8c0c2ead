"""Formula questions with fresh numbers every time.

Each generator draws layer sizes from a random generator and returns a `FormulaProblem`:
the question, the exact answer, a worked explanation and the sizes it drew. The sizes are
kept so that the tests can build the same layer in PyTorch and compare. The bank's
bank/10_formulas.toml names a generator for each template; the scheduler tracks the template.
"""

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FormulaProblem:
    """One instance of a formula question."""

    prompt: str
    answer: float
    explanation: str
    """The formula with this instance's numbers substituted."""
    sizes: Mapping[str, float]
    """The sizes drawn, by name (the names differ per generator, see each docstring)."""
    tolerance: float = 0.0
    """Largest accepted distance from `answer`; 0 means exact."""
    traps: Mapping[float, str] = field(default_factory=dict)
    """Wrong answers that a known mistake gives, and what the feedback says about each."""


def _traps(answer: float, traps: Mapping[float, str]) -> dict[float, str]:
    """The traps that differ from the answer (with some sizes a mistake gives it anyway)."""
    return {value: says for value, says in traps.items() if value != answer}


def conv_output_size(rng: random.Random) -> FormulaProblem:
    """Output width of a Conv2d. sizes: width, kernel, padding, stride."""
    kernel = rng.choice([1, 3, 5, 7])
    padding = rng.randint(0, kernel // 2)  # more than K // 2 would add border-only outputs
    stride = rng.choice([1, 2, 2, 3])
    width = rng.randint(max(kernel, 7), 64)
    answer = (width - kernel + 2 * padding) // stride + 1
    no_padding = (width - kernel) // stride + 1
    return FormulaProblem(
        prompt=(
            f"A convolution with a {kernel}×{kernel} kernel, stride {stride} and padding "
            f"{padding} is applied to a {width}×{width} input. What is the output width?"
        ),
        answer=answer,
        explanation=(
            f"O = floor((W - K + 2P) / S) + 1 = floor(({width} - {kernel} + 2·{padding}) / "
            f"{stride}) + 1 = {answer}."
        ),
        sizes={"width": width, "kernel": kernel, "padding": padding, "stride": stride},
        traps=_traps(answer, {
            no_padding: "That leaves out the padding: it adds P on both sides, 2P in all.",
            answer - 1: "That leaves out the + 1: the kernel's first position counts too.",
        }),
    )  # fmt: skip


def conv_parameters(rng: random.Random) -> FormulaProblem:
    """Learnable parameters of a Conv2d with bias. sizes: kernel, in_channels, out_channels."""
    kernel = rng.choice([1, 3, 5, 7])
    in_channels = rng.choice([1, 3, 8, 16, 32, 64, 128])
    out_channels = rng.choice([8, 16, 32, 64, 128, 256])
    answer = (kernel * kernel * in_channels + 1) * out_channels
    return FormulaProblem(
        prompt=(
            f"How many learnable parameters (weights and biases) does a convolution with "
            f"{out_channels} filters of size {kernel}×{kernel} have, applied to an input "
            f"with {in_channels} channels?"
        ),
        answer=answer,
        explanation=(
            f"params = (K·K·C_in + 1)·C_out = ({kernel}·{kernel}·{in_channels} + 1)·"
            f"{out_channels} = {answer:,}: each filter spans all input channels and has one bias."
        ),
        sizes={"kernel": kernel, "in_channels": in_channels, "out_channels": out_channels},
        traps=_traps(
            answer,
            {
                (kernel * kernel + 1) * out_channels: (
                    "That forgets that each filter spans all the input channels."
                ),
                kernel * kernel * in_channels * out_channels: (
                    "That counts the weights but not the biases: one per filter."
                ),
            },
        ),  # fmt: skip
    )


def pooling_output_size(rng: random.Random) -> FormulaProblem:
    """Output width of a MaxPool2d without padding. sizes: width, window, stride."""
    window = rng.choice([2, 2, 3])
    stride = rng.choice([window, 2])
    width = rng.randint(7, 64)
    answer = (width - window) // stride + 1
    return FormulaProblem(
        prompt=(
            f"Max pooling with a {window}×{window} window and stride {stride} (no padding) is "
            f"applied to a {width}×{width} feature map. What is the output width?"
        ),
        answer=answer,
        explanation=(
            f"Pooling follows the convolution formula with P = 0: floor((W - K) / S) + 1 = "
            f"floor(({width} - {window}) / {stride}) + 1 = {answer}."
        ),
        sizes={"width": width, "window": window, "stride": stride},
    )


def cnn_flatten_size(rng: random.Random) -> FormulaProblem:
    """The notes' CNN shape flow with other sizes. sizes: width, in_channels, filters1, filters2."""
    width = rng.choice([28, 30, 32, 36, 40, 48, 64])
    in_channels = rng.choice([1, 3])
    filters1 = rng.choice([16, 32])
    filters2 = rng.choice([32, 64, 128])
    first = width - 2
    pooled = first // 2
    second = pooled - 2
    final = second // 2
    answer = final * final * filters2
    return FormulaProblem(
        prompt=(
            f"Input {width}×{width}×{in_channels} → Conv ({filters1} filters 3×3, no padding) → "
            f"ReLU → MaxPool 2×2 → Conv ({filters2} filters 3×3, no padding) → ReLU → "
            f"MaxPool 2×2 → Flatten. How many values does Flatten produce?"
        ),
        answer=answer,
        explanation=(
            f"{width}×{width}×{in_channels} → conv {first}×{first}×{filters1} → pool "
            f"{pooled}×{pooled}×{filters1} → conv {second}×{second}×{filters2} → pool "
            f"{final}×{final}×{filters2} → flatten {final}·{final}·{filters2} = {answer:,}."
        ),
        sizes={
            "width": width,
            "in_channels": in_channels,
            "filters1": filters1,
            "filters2": filters2,
        },
    )


def linear_parameters(rng: random.Random) -> FormulaProblem:
    """Parameters of a fully connected layer with bias. sizes: in_features, out_features."""
    in_features = rng.choice([64, 128, 256, 512, 784, 1600, 2048])
    out_features = rng.choice([10, 32, 64, 128, 256, 1000])
    answer = in_features * out_features + out_features
    return FormulaProblem(
        prompt=(
            f"How many parameters does a dense (fully connected) layer with {out_features} "
            f"neurons have when it receives {in_features} values?"
        ),
        answer=answer,
        explanation=(
            f"One weight per input per neuron plus one bias per neuron: {in_features}·"
            f"{out_features} + {out_features} = {answer:,}."
        ),
        sizes={"in_features": in_features, "out_features": out_features},
        traps={in_features * out_features: "That counts the weights but not the biases."},
    )


def _recurrent_parameters(blocks: int, input_size: int, hidden_size: int) -> int:
    """PyTorch keeps two bias vectors per weight block (b_ih and b_hh)."""
    return blocks * (input_size * hidden_size + hidden_size * hidden_size + 2 * hidden_size)


_RECURRENT_BLOCKS = {
    "RNN": (1, "1 weight block (the tanh update)"),
    "LSTM": (4, "4 weight blocks (three gates and the candidate)"),
    "GRU": (3, "3 weight blocks (two gates and the candidate)"),
}
"""Per layer: how many H-wide weight blocks it has, and what they are."""

_KERAS_BIASES = {
    "RNN": "Keras's SimpleRNN keeps one bias, so its count is H lower.",
    "LSTM": "Keras's LSTM keeps one bias per block, so its count is 4·H lower.",
    "GRU": (
        "Keras's GRU (reset_after=True, the default since TF 2) also keeps two biases per "
        "block: the same count."
    ),
}


def _recurrent_problem(layer: str, rng: random.Random) -> FormulaProblem:
    blocks, described = _RECURRENT_BLOCKS[layer]
    input_size = rng.choice([8, 16, 32, 50, 64, 100, 128, 300])
    hidden_size = rng.choice([16, 32, 50, 64, 100, 128, 256])
    answer = _recurrent_parameters(blocks, input_size, hidden_size)
    traps = {answer - blocks * hidden_size: "That counts one bias per block; PyTorch keeps two."}
    if blocks > 1:
        traps[answer // blocks] = f"That is one weight block; nn.{layer} has {blocks}."
    return FormulaProblem(
        prompt=(
            f"How many parameters does a one-layer PyTorch nn.{layer}(input_size={input_size}, "
            f"hidden_size={hidden_size}) have?"
        ),
        answer=answer,
        explanation=(
            f"{described}, each with input weights (H·I), recurrent weights (H·H) and, "
            f"in PyTorch, two biases (2H): {blocks}·({hidden_size}·{input_size} + "
            f"{hidden_size}·{hidden_size} + 2·{hidden_size}) = {answer:,}. "
            f"{_KERAS_BIASES[layer]}"
        ),
        sizes={"input_size": input_size, "hidden_size": hidden_size},
        traps=traps,
    )


def rnn_parameters(rng: random.Random) -> FormulaProblem:
    """Parameters of nn.RNN: one weight block. sizes: input_size, hidden_size."""
    return _recurrent_problem("RNN", rng)


def lstm_parameters(rng: random.Random) -> FormulaProblem:
    """Parameters of nn.LSTM: four weight blocks. sizes: input_size, hidden_size."""
    return _recurrent_problem("LSTM", rng)


def gru_parameters(rng: random.Random) -> FormulaProblem:
    """Parameters of nn.GRU: three weight blocks. sizes: input_size, hidden_size."""
    return _recurrent_problem("GRU", rng)


def gradient_through_time(rng: random.Random) -> FormulaProblem:
    """factor^T: a gradient carried back T steps. sizes: factor, steps."""
    factor = rng.choice([0.5, 0.8, 0.9, 1.1, 1.2, 1.5, 2.0])
    steps = rng.choice([5, 10, 15, 20])
    answer = factor**steps
    fate = "vanishes" if factor < 1 else "explodes"
    return FormulaProblem(
        prompt=(
            f"In an RNN each factor ∂h_t/∂h_(t-1) is {factor}. By what factor is a gradient "
            f"multiplied on its way back {steps} time steps? (Within 1%.)"
        ),
        answer=answer,
        tolerance=answer / 100,
        explanation=(
            f"One factor per step, multiplied: {factor}^{steps} = {answer:.4g}. Below 1 the "
            f"gradient shrinks exponentially, above 1 it grows: with {factor} it {fate}."
        ),
        sizes={"factor": factor, "steps": steps},
        traps={factor * steps: "That adds the factors; backpropagation multiplies them."},
    )


def _model_width_and_heads(rng: random.Random) -> tuple[int, int]:
    heads = rng.choice([2, 4, 8, 12, 16])
    head_dim = rng.choice([16, 32, 64, 128])
    return heads * head_dim, heads


def attention_parameters(rng: random.Random) -> FormulaProblem:
    """Parameters of nn.MultiheadAttention with bias. sizes: d_model, heads."""
    d_model, heads = _model_width_and_heads(rng)
    answer = 4 * d_model * d_model + 4 * d_model
    return FormulaProblem(
        prompt=(
            f"How many parameters does nn.MultiheadAttention(embed_dim={d_model}, "
            f"num_heads={heads}) have (with biases)?"
        ),
        answer=answer,
        explanation=(
            f"Four d_model×d_model projections (W_q, W_k, W_v and the output) with a bias "
            f"each: 4·{d_model}² + 4·{d_model} = {answer:,}. The number of heads does not "
            f"change it: the heads split d_model = {d_model} between them."
        ),
        sizes={"d_model": d_model, "heads": heads},
        traps={4 * d_model * d_model: "That counts the weights but not the four biases."},
    )


def head_dimension(rng: random.Random) -> FormulaProblem:
    """d_k = d_model / heads. sizes: d_model, heads."""
    d_model, heads = _model_width_and_heads(rng)
    answer = d_model // heads
    return FormulaProblem(
        prompt=(
            f"Multi-head attention with d_model = {d_model} and {heads} heads: what is d_k, "
            f"the dimension of each head's queries and keys?"
        ),
        answer=answer,
        explanation=f"d_k = d_model / num_heads = {d_model} / {heads} = {answer}.",
        sizes={"d_model": d_model, "heads": heads},
    )


def stacked_3x3_saving(rng: random.Random) -> FormulaProblem:
    """Parameters saved by two 3×3 convs instead of one 5×5. sizes: channels."""
    channels = rng.choice([8, 16, 32, 64, 128, 256])
    one_5x5 = (5 * 5 * channels + 1) * channels
    two_3x3 = 2 * (3 * 3 * channels + 1) * channels
    answer = one_5x5 - two_3x3
    return FormulaProblem(
        prompt=(
            f"Both keep {channels} channels in and out, with biases: how many more parameters "
            f"does one 5×5 convolution have than two stacked 3×3 convolutions?"
        ),
        answer=answer,
        explanation=(
            f"One 5×5: (25·{channels} + 1)·{channels} = {one_5x5:,}. Two 3×3: "
            f"2·(9·{channels} + 1)·{channels} = {two_3x3:,}. Difference {answer:,}, for the "
            f"same 5×5 receptive field and one more ReLU."
        ),
        sizes={"channels": channels},
    )


def depthwise_separable_parameters(rng: random.Random) -> FormulaProblem:
    """A depthwise K×K conv then a pointwise 1×1 conv, with biases.

    sizes: kernel, in_channels, out_channels.
    """
    kernel = rng.choice([3, 5])
    in_channels = rng.choice([16, 32, 64, 128, 256])
    out_channels = rng.choice([32, 64, 128, 256, 512])
    depthwise = (kernel * kernel + 1) * in_channels
    pointwise = (in_channels + 1) * out_channels
    answer = depthwise + pointwise
    standard = (kernel * kernel * in_channels + 1) * out_channels
    return FormulaProblem(
        prompt=(
            f"A depthwise separable convolution (as in MobileNet) maps {in_channels} channels to "
            f"{out_channels}: a depthwise {kernel}×{kernel} convolution, one filter per input "
            f"channel, then a pointwise 1×1 convolution. How many parameters, with biases?"
        ),
        answer=answer,
        explanation=(
            f"Depthwise: ({kernel}·{kernel} + 1)·{in_channels} = {depthwise:,}. Pointwise: "
            f"({in_channels} + 1)·{out_channels} = {pointwise:,}. Total {answer:,}, against "
            f"{standard:,} for a standard {kernel}×{kernel} convolution: "
            f"{standard / answer:.1f}× fewer."
        ),
        sizes={"kernel": kernel, "in_channels": in_channels, "out_channels": out_channels},
        traps={standard: f"That is a standard {kernel}×{kernel} convolution's count."},
    )


GENERATORS: Mapping[str, Callable[[random.Random], FormulaProblem]] = {
    generator.__name__: generator
    for generator in (
        conv_output_size,
        conv_parameters,
        pooling_output_size,
        cnn_flatten_size,
        linear_parameters,
        depthwise_separable_parameters,
        rnn_parameters,
        gradient_through_time,
        lstm_parameters,
        gru_parameters,
        attention_parameters,
        head_dimension,
        stacked_3x3_saving,
    )
}
"""Every generator, by the name bank/10_formulas.toml uses."""
