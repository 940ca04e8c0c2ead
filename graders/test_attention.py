"""Grader for exercises/attention.py: scaled dot-product and multi-head attention (notes §6).

Probes (the plain functions below whose first argument is `impl`) run in the learner
process and only return tensors, strings and state_dicts; every check compares them here
with PyTorch's own F.scaled_dot_product_attention and nn.MultiheadAttention (loaded with the
same weights), or with attention written here from torch.softmax.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from course.graders.engine.checks import check
from course.graders.engine.compare import (
    CheckFailed,
    expect_close,
    expect_gradients,
    expect_pair,
    expect_shape,
)

BATCH, LENGTH_Q, LENGTH_K, D_K, D_V = 2, 3, 5, 4, 6
D_MODEL, NUM_HEADS = 12, 3
INVERTED_MASK = "the mask is read the wrong way round: here True means 'may attend'"


# -- probes: run in the learner process, sent as source: they use only their arguments ----
def run_attention(impl, q, k, v, mask=None):
    return impl.scaled_dot_product_attention(q, k, v, mask)


def run_attention_twice(impl, q, k, v, mask):
    """The same arguments twice: a call must leave q, k, v and the mask as they were."""
    return [impl.scaled_dot_product_attention(q, k, v, mask) for _ in range(2)]


def run_causal_mask(impl, length):
    return impl.causal_mask(length)


def causal_attention(impl, q, k, v):
    return impl.scaled_dot_product_attention(q, k, v, impl.causal_mask(q.shape[-2]))


def attention_gradients(impl, q, k, v, mask, grad_output):
    leaves = [tensor.clone().requires_grad_() for tensor in (q, k, v)]
    output, _ = impl.scaled_dot_product_attention(*leaves, mask)
    if not (isinstance(output, torch.Tensor) and output.requires_grad):
        return "no graph"
    if output.shape == grad_output.shape:  # = output.backward(grad_output), without sympy
        (output * grad_output).sum().backward()
    else:
        output.backward(grad_output)  # torch's own error for the wrong shape
    return {name: leaf.grad for name, leaf in zip(("q", "k", "v"), leaves)}


def attention_layout(impl, d_model, num_heads, bias):
    attention = impl.MultiHeadAttention(d_model, num_heads, bias=bias)
    return {name: list(tensor.shape) for name, tensor in attention.named_parameters()}


def indivisible_heads(impl, d_model, num_heads):
    try:
        impl.MultiHeadAttention(d_model, num_heads)
    except ValueError as error:
        return "ValueError", str(error)
    return "no error", ""


def run_multi_head(impl, state_dict, num_heads, query, key, value, mask=None, bias=True):
    attention = impl.MultiHeadAttention(query.shape[-1], num_heads, bias=bias).to(query.dtype)
    if attention.load_state_dict(state_dict, strict=False).unexpected_keys:  # buffers may differ
        attention.load_state_dict(state_dict)  # a layer of the contract is missing: say which
    return attention(query, key, value, mask)


def run_multi_head_masks(impl, state_dict, num_heads, query, key, masks):
    """One module called once per mask, in turn: nothing may carry over between calls."""
    attention = impl.MultiHeadAttention(query.shape[-1], num_heads).to(query.dtype)
    if attention.load_state_dict(state_dict, strict=False).unexpected_keys:  # buffers may differ
        attention.load_state_dict(state_dict)  # a layer of the contract is missing: say which
    return [attention(query, key, key, mask) for mask in masks]


def multi_head_gradients(impl, state_dict, num_heads, inputs, mask, grad_output):
    attention = impl.MultiHeadAttention(inputs[0].shape[-1], num_heads).to(inputs[0].dtype)
    if attention.load_state_dict(state_dict, strict=False).unexpected_keys:  # buffers may differ
        attention.load_state_dict(state_dict)  # a layer of the contract is missing: say which
    leaves = [tensor.clone().requires_grad_() for tensor in inputs]
    output, _ = attention(*leaves, mask)
    if not (isinstance(output, torch.Tensor) and output.requires_grad):
        return "no graph"
    if output.shape == grad_output.shape:  # = output.backward(grad_output), without sympy
        (output * grad_output).sum().backward()
    else:
        output.backward(grad_output)  # torch's own error for the wrong shape
    grads = {name: leaf.grad for name, leaf in zip(("query", "key", "value"), leaves)}
    grads.update({name: parameter.grad for name, parameter in attention.named_parameters()})
    return grads


def train_reverse(impl, embeddings, attention_state, head_state, num_heads, tokens, mask, rate):
    torch.manual_seed(0)
    token_embedding = embeddings["token"].clone().requires_grad_()  # (V, d_model)
    position_embedding = embeddings["position"].clone().requires_grad_()  # (L, d_model)
    attention = impl.MultiHeadAttention(token_embedding.shape[1], num_heads)
    if attention.load_state_dict(attention_state, strict=False).unexpected_keys:
        attention.load_state_dict(attention_state)  # a layer of the contract is missing
    head = nn.Linear(token_embedding.shape[1], token_embedding.shape[0])
    head.load_state_dict(head_state)
    parameters = [token_embedding, position_embedding, *attention.parameters(), *head.parameters()]
    # Adam written out (torch.optim would first import torch._dynamo: 0.75 s of start-up)
    first = [torch.zeros_like(p) for p in parameters]
    second = [torch.zeros_like(p) for p in parameters]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for number, batch in enumerate(tokens, start=1):  # batch (B, L): the targets are batch.flip(1)
        x = token_embedding[batch] + position_embedding  # (B, L, d_model)
        output, _ = attention(x, x, x, mask)
        logits = head(output)  # (B, L, V)
        loss = F.cross_entropy(logits.flatten(0, 1), batch.flip(1).flatten())
        grads = torch.autograd.grad(loss, parameters, allow_unused=True)
        with torch.no_grad():
            for p, g, m, v in zip(parameters, grads, first, second):
                if g is None:  # a parameter the learner's forward does not use
                    continue
                m.mul_(beta1).add_(g, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                m_hat, v_hat = m / (1 - beta1**number), v / (1 - beta2**number)
                p.sub_(rate * m_hat / (v_hat.sqrt() + eps))
    embeddings = {"token": token_embedding.detach(), "position": position_embedding.detach()}
    return embeddings, attention.state_dict(), head.state_dict()


# -- references and known mistakes, computed here ---------------------------------------
def random_tensors(*shapes: tuple, seed: int, dtype=torch.float32) -> list:
    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(*shape, generator=generator, dtype=dtype) for shape in shapes]


def random_mask(shape: tuple, seed: int) -> torch.Tensor:
    """A boolean mask (True = may attend) with a True and a False in every row, so that
    neither it nor its inverse leaves a query without keys."""
    generator = torch.Generator().manual_seed(seed)
    mask = torch.rand(*shape, generator=generator) < 0.5
    keep = torch.randint(0, shape[-1], (*shape[:-1], 1), generator=generator)
    block = (keep + torch.randint(1, shape[-1], keep.shape, generator=generator)) % shape[-1]
    return mask.scatter(-1, keep, True).scatter(-1, block, False)


def attention_by_hand(q, k, v, mask=None, scale=None, softmax_dim=-1, fill=float("-inf")):
    """Attention from torch.softmax; `scale`, `softmax_dim` and `fill` make known mistakes."""
    scores = q @ k.transpose(-2, -1) * (1 / math.sqrt(q.shape[-1]) if scale is None else scale)
    if mask is not None:
        scores = scores.masked_fill(~mask, fill)
    weights = torch.softmax(scores, dim=softmax_dim)
    return weights @ v, weights


def attention_mistakes(q, k, v, mask=None) -> dict[str, tuple]:
    """What (output, weights) would be for the mistakes learners make most often."""
    d_k, d_v = q.shape[-1], v.shape[-1]
    mistakes = {
        "the scores are not divided by sqrt(d_k)": attention_by_hand(q, k, v, mask, scale=1.0),
        "the scores are divided by d_k instead of sqrt(d_k)": attention_by_hand(
            q, k, v, mask, scale=1 / d_k
        ),
        "the softmax runs over the queries (dim=-2) instead of the keys (dim=-1)": (
            attention_by_hand(q, k, v, mask, softmax_dim=-2)
        ),
    }
    if d_v != d_k:
        mistakes["the scores are divided by sqrt(d_v) instead of sqrt(d_k)"] = attention_by_hand(
            q, k, v, mask, scale=1 / math.sqrt(d_v)
        )
    if mask is not None:
        mistakes[INVERTED_MASK] = attention_by_hand(q, k, v, ~mask)
        plain = attention_by_hand(q, k, v)[1] * mask
        mistakes[
            "the weights are multiplied by the mask after the softmax, so the rows no longer "
            "sum to 1 (put -inf in the masked scores before the softmax)"
        ] = (plain @ v, plain)
        mistakes[
            "the masked scores are filled with a finite number such as -1e4, which is not small "
            "enough when the scores themselves are very negative: use float('-inf')"
        ] = attention_by_hand(q, k, v, mask, fill=-1e4)
    return mistakes


def unpack_attention(got: object, output_shape: tuple, weights_shape: tuple, what: str) -> tuple:
    output, weights = expect_pair(got, what)
    return expect_shape(output, output_shape, "output"), expect_shape(weights, weights_shape, "weights")  # fmt: skip


def compare_attention(got, q, k, v, mask, case: str, more_mistakes: dict | None = None) -> None:
    """Output against F.scaled_dot_product_attention, weights against softmax by hand."""
    leading = q.shape[:-2]
    output, weights = unpack_attention(
        got, (*leading, q.shape[-2], v.shape[-1]), (*leading, q.shape[-2], k.shape[-2]),
        "scaled_dot_product_attention's result (output, weights)",
    )  # fmt: skip
    if mask is not None:
        expect_no_query_left_without_keys(weights, attention_by_hand(q, k, v, ~mask)[1])
    mistakes = {**attention_mistakes(q, k, v, mask), **(more_mistakes or {})}
    expected_weights = attention_by_hand(q, k, v, mask)[1]
    expect_close(weights, expected_weights, "weights", against=f"softmax(q @ k^T / sqrt(d_k)) {case}",
                 likely_causes={cause: pair[1] for cause, pair in mistakes.items()},
                 hint="weights = softmax(q @ k.transpose(-2, -1) / sqrt(d_k), dim=-1), with the scores set to -inf where the mask is False, before the softmax")  # fmt: skip
    expected_output = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    expect_close(output, expected_output, "output", against=f"F.scaled_dot_product_attention {case}",
                 likely_causes={cause: pair[0] for cause, pair in mistakes.items()},
                 hint="output = weights @ v")  # fmt: skip


def expect_no_query_left_without_keys(weights: torch.Tensor, inverted: torch.Tensor) -> None:
    """NaN rows that the inverted mask also gives: every key of a query was blocked."""
    same_nan = torch.equal(weights.isnan(), inverted.isnan()) and inverted.isnan().any()
    if same_nan and torch.allclose(weights.nan_to_num(), inverted.nan_to_num(), atol=1e-5):
        raise CheckFailed(
            "Some rows of `weights` are NaN: those queries had every key blocked, which the "
            "correct mask never does here. Likely cause: the mask is read the wrong way round: "
            "here True means 'may attend' (nn.MultiheadAttention's True = blocked is the "
            "opposite)."
        )


def multi_head_weights(seed: int, d_model: int = D_MODEL, bias: bool = True, dtype=torch.float32):
    """A state_dict in the contract's layout (w_q, w_k, w_v, w_o), with non-zero biases."""
    generator = torch.Generator().manual_seed(seed)
    state = {}
    for layer in ("w_q", "w_k", "w_v", "w_o"):
        state[f"{layer}.weight"] = torch.randn(d_model, d_model, generator=generator, dtype=dtype) / math.sqrt(d_model)  # fmt: skip
        if bias:
            state[f"{layer}.bias"] = 0.1 * torch.randn(d_model, generator=generator, dtype=dtype)
    return state


def torch_multi_head(state: dict, num_heads: int, bias: bool = True) -> nn.MultiheadAttention:
    """nn.MultiheadAttention(batch_first=True) loaded with the same weights as `state`."""
    d_model = state["w_q.weight"].shape[0]
    dtype = state["w_q.weight"].dtype
    attention = nn.MultiheadAttention(d_model, num_heads, bias=bias, batch_first=True).to(dtype)
    loaded = {
        "in_proj_weight": torch.cat([state[f"{layer}.weight"] for layer in ("w_q", "w_k", "w_v")]),
        "out_proj.weight": state["w_o.weight"],
    }
    if bias:
        loaded["in_proj_bias"] = torch.cat([state[f"{layer}.bias"] for layer in ("w_q", "w_k", "w_v")])  # fmt: skip
        loaded["out_proj.bias"] = state["w_o.bias"]
    attention.load_state_dict(loaded)
    return attention


def torch_multi_head_forward(state, num_heads, query, key, value, mask=None, bias=True):
    """nn.MultiheadAttention's (output, per-head weights) for a mask in the contract's form.

    Its boolean attn_mask means True = blocked, and is (Lq, Lk) or (N * heads, Lq, Lk); a
    padding mask goes in that 3-D form too (key_padding_mask would cost a 0.3 s sympy import).
    """
    attention = torch_multi_head(state, num_heads, bias)
    blocked = None if mask is None else ~mask
    if mask is not None and mask.dim() != 2:  # any other shape that broadcasts
        batch, length_q, length_k = query.shape[0], query.shape[1], key.shape[1]
        blocked = blocked.expand(batch, num_heads, length_q, length_k).flatten(0, 1)
    with torch.no_grad():
        return attention(query, key, value, attn_mask=blocked, average_attn_weights=False)


def multi_head_mistakes(state, num_heads, query, key, value, mask=None) -> dict[str, tuple]:
    """What (output, weights) would be for the multi-head mistakes learners make most often."""
    batch, length_q, d_model = query.shape
    d_k = d_model // num_heads

    def project(layer, x):
        return F.linear(x, state[f"{layer}.weight"], state.get(f"{layer}.bias"))

    def forward(split, merge, scale=None, project_out=True, softmax_dim=-1, mask=mask,
                sources=(query, key, value)):  # fmt: skip
        q, k, v = (split(project(layer, x)) for layer, x in zip(("w_q", "w_k", "w_v"), sources))
        heads, weights = attention_by_hand(q, k, v, mask, scale=scale, softmax_dim=softmax_dim)
        merged = merge(heads)
        return (project("w_o", merged) if project_out else merged), weights

    def split(x):  # (N, L, d_model) -> (N, h, L, d_k)
        return x.view(batch, x.shape[1], num_heads, d_k).transpose(1, 2)

    def split_without_transpose(x):
        return x.reshape(batch, num_heads, x.shape[1], d_k)

    def merge(heads):  # (N, h, Lq, d_k) -> (N, Lq, d_model)
        return heads.transpose(1, 2).reshape(batch, length_q, d_model)

    def merge_without_transpose(heads):
        return heads.reshape(batch, length_q, d_model)

    mistakes = {
        "the heads are split with a reshape to (N, heads, L, d_k) directly; view as (N, L, heads, "
        "d_k) and then transpose(1, 2)": forward(split_without_transpose, merge),
        "the heads are put back with a reshape to (N, Lq, d_model) directly; transpose(1, 2) "
        "first, then reshape": forward(split, merge_without_transpose),
        "the output projection w_o is not applied to the concatenated heads": forward(
            split, merge, project_out=False
        ),
        "the scores are divided by sqrt(d_model) instead of sqrt(d_k) = sqrt(d_model / heads)": (
            forward(split, merge, scale=1 / math.sqrt(d_model))
        ),
        "in every head, the scores are not divided by sqrt(d_k)": forward(split, merge, scale=1.0),
        "in every head, the scores are divided by d_k instead of sqrt(d_k)": forward(
            split, merge, scale=1 / d_k
        ),
        "in every head, the softmax runs over the queries (dim=-2) instead of the keys": forward(
            split, merge, softmax_dim=-2
        ),
        "the values are projected from the key input (w_v(key)); they come from the value "
        "input, w_v(value)": forward(split, merge, sources=(query, key, key)),
    }
    if query.shape == key.shape:  # self-attention: the inputs can be swapped
        mistakes["the query and key inputs go through each other's projection (w_q is for the "
                 "query, w_k for the key)"] = forward(split, merge, sources=(key, query, value))  # fmt: skip
    if mask is not None:
        mistakes[INVERTED_MASK] = forward(split, merge, mask=~mask)
    return mistakes


def compare_multi_head(got, state, num_heads, query, key, value, mask=None, bias=True):
    batch, length_q, length_k = query.shape[0], query.shape[1], key.shape[1]
    output, weights = unpack_attention(
        got, (batch, length_q, query.shape[2]), (batch, num_heads, length_q, length_k),
        "MultiHeadAttention's result (output, weights)",
    )  # fmt: skip
    expected_output, expected_weights = torch_multi_head_forward(
        state, num_heads, query, key, value, mask, bias
    )
    mistakes = multi_head_mistakes(state, num_heads, query, key, value, mask)
    if mask is not None:
        expect_no_query_left_without_keys(weights, mistakes[INVERTED_MASK][1])
    against = "nn.MultiheadAttention(batch_first=True) with the same weights"
    expect_close(weights, expected_weights, "weights", against=against,
                 likely_causes={cause: pair[1] for cause, pair in mistakes.items()},
                 hint="head h's weights are softmax(q_h @ k_h^T / sqrt(d_k)) with d_k = d_model // num_heads; look at how the projected inputs are split into heads")  # fmt: skip
    expect_close(output, expected_output, "output", against=against,
                 likely_causes={cause: pair[0] for cause, pair in mistakes.items()},
                 hint="concatenate the heads back to (N, Lq, d_model) and apply w_o")  # fmt: skip


# -- checks: scaled_dot_product_attention ----------------------------------------------
@check(points=2)
def test_attention_returns_output_and_weights_of_the_documented_shapes(learner):
    """For q (..., Lq, d_k), k (..., Lk, d_k), v (..., Lk, d_v): output (..., Lq, d_v) of q's dtype (float32, float64, bfloat16; with and without a mask), weights (..., Lq, Lk), with any leading dims."""
    mask = random_mask((LENGTH_Q, LENGTH_K), 11)
    cases = [(leading, torch.float32, None) for leading in ((BATCH,), (BATCH, 3), ())]
    cases += [((), torch.float32, mask)]  # no leading dims in q, k, v or the mask
    cases += [((BATCH,), dtype, given) for dtype in (torch.float64, torch.bfloat16) for given in (None, mask)]  # fmt: skip
    for leading, dtype, given in cases:
        q, k, v = random_tensors((*leading, LENGTH_Q, D_K), (*leading, LENGTH_K, D_K), (*leading, LENGTH_K, D_V), seed=1, dtype=dtype)  # fmt: skip
        with_mask = "" if given is None else f" and a mask of shape {tuple(given.shape)}"
        case = f"{dtype} q of shape {tuple(q.shape)}{with_mask}"
        try:
            output, _ = unpack_attention(
                learner.run(run_attention, q, k, v, given),
                (*leading, LENGTH_Q, D_V), (*leading, LENGTH_Q, LENGTH_K),
                f"scaled_dot_product_attention's result for {case}",
            )  # fmt: skip
        except CheckFailed as failure:
            raise CheckFailed(f"For {case}: {failure} The leading dimensions of q, k and v, none at all included, are those of the results; a mask only broadcasts.") from None  # fmt: skip
        if output.dtype != dtype:
            raise CheckFailed(
                f"For {dtype} inputs{with_mask} the output should be {dtype} too (the dtype of q), but it "
                f"is {output.dtype}. Likely cause: a tensor made with a fixed dtype (torch.tensor, "
                "torch.zeros without dtype=) or a .float()/.to(...) on the way."
            )


@check(points=4)
def test_attention_matches_torch_scaled_dot_product_attention(learner):
    """Output equals F.scaled_dot_product_attention and weights equal softmax(q k^T / sqrt(d_k)), with Lq != Lk and d_k != d_v."""
    for leading, seed in (((BATCH,), 2), ((BATCH, 3), 3)):
        q, k, v = random_tensors((*leading, LENGTH_Q, D_K), (*leading, LENGTH_K, D_K), (*leading, LENGTH_K, D_V), seed=seed)  # fmt: skip
        compare_attention(learner.run(run_attention, q, k, v), q, k, v, None, "on the same inputs")


@check(points=2)
def test_scores_are_scaled_by_one_over_sqrt_d_k(learner):
    """With one query and two keys whose dot products are s and 0, the weights are the softmax of (s, 0) / sqrt(d_k), for d_k = 4, 16 and 64."""
    for d_k in (4, 16, 64):
        q = torch.ones(1, d_k)
        k = torch.stack([torch.full((d_k,), 0.5), torch.zeros(d_k)])  # dot products d_k/2 and 0
        v = torch.eye(2)
        got = learner.run(run_attention, q, k, v)
        _, weights = unpack_attention(got, (1, 2), (1, 2), "scaled_dot_product_attention's result")
        scores = torch.tensor([[d_k / 2, 0.0]])
        expect_close(weights, torch.softmax(scores / math.sqrt(d_k), dim=-1), f"weights for d_k={d_k}",
                     against="softmax(scores / sqrt(d_k))",
                     likely_causes={"the scores are not divided by sqrt(d_k)": torch.softmax(scores, dim=-1),
                                    "the scores are divided by d_k instead of sqrt(d_k)": torch.softmax(scores / d_k, dim=-1),
                                    "the softmax runs over the queries (dim=-2) instead of the keys (dim=-1)": torch.ones(1, 2)},
                     hint="divide the scores q @ k^T by math.sqrt(d_k), with d_k = q.shape[-1]")  # fmt: skip


@check(points=1)
def test_weights_sum_to_one_over_the_keys(learner):
    """Every row of the weights (one query) sums to 1 over the keys, the last dimension."""
    q, k, v = random_tensors((BATCH, LENGTH_Q, D_K), (BATCH, LENGTH_K, D_K), (BATCH, LENGTH_K, D_V), seed=4)  # fmt: skip
    _, weights = unpack_attention(
        learner.run(run_attention, q, k, v),
        (BATCH, LENGTH_Q, D_V), (BATCH, LENGTH_Q, LENGTH_K), "scaled_dot_product_attention's result",
    )  # fmt: skip
    sums = weights.sum(dim=-1)
    expect_close(sums, torch.ones_like(sums), "weights.sum(dim=-1)", against="1 for every query",
                 likely_causes={"the softmax runs over the queries (dim=-2) instead of the keys (dim=-1)":
                                torch.softmax(q @ k.transpose(-2, -1), dim=-2).sum(dim=-1)},
                 hint="take the softmax over the keys: torch.softmax(scores, dim=-1)")  # fmt: skip


@check(points=3)
def test_masked_keys_get_exactly_zero_weight_and_the_rest_match_torch(learner):
    """With a boolean mask (True = may attend), masked keys get weight exactly 0 and the result equals F.scaled_dot_product_attention(attn_mask=mask); a second call with the same q, k, v and mask gives the same result."""
    q, k, v = random_tensors((BATCH, LENGTH_Q, D_K), (BATCH, LENGTH_K, D_K), (BATCH, LENGTH_K, D_V), seed=5)  # fmt: skip
    for mask in (random_mask((BATCH, LENGTH_Q, LENGTH_K), 6), random_mask((LENGTH_Q, LENGTH_K), 7)):
        got, again = expect_pair(learner.run(run_attention_twice, q, k, v, mask), "the probe's two results")  # fmt: skip
        compare_attention(got, q, k, v, mask, "with the same mask")
        expect_zero_where_masked(got[1], mask)
        expect_same_on_a_second_call(again, got)


def expect_same_on_a_second_call(again: object, first: tuple) -> None:
    """A second call with the same arguments repeats the first: nothing was changed in place."""
    output, weights = unpack_attention(again, first[0].shape, first[1].shape,
                                       "the result of a second call with the same arguments")  # fmt: skip
    against = "the first call with the same q, k, v and mask"
    hint = ("the same arguments must give the same result, but your function changes one of "
            "them in place (mask.logical_not_(), q.div_(...), masked_fill_ on a tensor it was "
            "given); make new tensors instead: ~mask, q / math.sqrt(d_k), masked_fill")  # fmt: skip
    expect_close(weights, first[1], "weights of the second call", against=against, hint=hint)
    expect_close(output, first[0], "output of the second call", against=against, hint=hint)


def expect_zero_where_masked(weights: torch.Tensor, mask: torch.Tensor) -> None:
    leaked = weights.masked_select(~mask.expand_as(weights))
    if (leaked != 0).any():
        raise CheckFailed(
            f"Masked keys must get a weight of exactly 0, but one got {float(leaked.abs().max()):.3g}. "
            "Likely cause: the masked scores are filled with a finite number (like -1e4 or -1e9) "
            "that is not small enough for these scores; use float('-inf')."
        )


@check(points=2)
def test_masking_holds_for_scores_of_any_size(learner):
    """Even when every score is far below -1e100 (float64), masked keys get weight exactly 0 (a finite 'large negative' fill is not enough)."""
    generator = torch.Generator().manual_seed(8)
    q = 1e50 * torch.rand(BATCH, LENGTH_Q, D_K, generator=generator, dtype=torch.float64) + 1e50
    k = -1e50 * torch.rand(BATCH, LENGTH_K, D_K, generator=generator, dtype=torch.float64) - 1e50
    v = torch.randn(BATCH, LENGTH_K, D_V, generator=generator, dtype=torch.float64)
    mask = random_mask((BATCH, LENGTH_Q, LENGTH_K), 9)
    got = learner.run(run_attention, q, k, v, mask)
    expect_finite_for_large_scores(got)
    compare_attention(got, q, k, v, mask, "with very negative scores")
    expect_zero_where_masked(got[1], mask)


@check(points=2)
def test_large_scores_give_finite_weights_without_overflow(learner):
    """Scores in the tens of thousands (float64) give finite weights equal to torch.softmax's, not NaN: the softmax must not overflow."""
    q, k, v = random_tensors((BATCH, LENGTH_Q, D_K), (BATCH, LENGTH_K, D_K), (BATCH, LENGTH_K, D_V), seed=10, dtype=torch.float64)  # fmt: skip
    q, k = 300 * q, 300 * k
    got = learner.run(run_attention, q, k, v)
    expect_finite_for_large_scores(got)
    compare_attention(got, q, k, v, None, "with large scores")


def expect_finite_for_large_scores(got: object) -> None:
    output, weights = unpack_attention(got, (BATCH, LENGTH_Q, D_V), (BATCH, LENGTH_Q, LENGTH_K),
                                       "scaled_dot_product_attention's result")  # fmt: skip
    if not (torch.isfinite(output).all() and torch.isfinite(weights).all()):
        raise CheckFailed(
            "With scores in the tens of thousands your weights contain NaN or infinity. Likely "
            "cause: a softmax written by hand, whose exp(scores) overflows (or underflows to "
            "0 / 0); torch.softmax subtracts the largest score first (or do it yourself: "
            "exp(scores - scores.amax(dim=-1, keepdim=True))). Or a row of the softmax over the "
            "keys (dim=-1) with no key left to attend to, or a mask applied after the softmax (then "
            "renormalising weights that all underflowed to 0 divides 0 by 0)."
        )


@check(points=1)
def test_causal_mask_is_true_on_and_below_the_diagonal(learner):
    """causal_mask(L) is an (L, L) bool tensor, True on and below the diagonal (position i may see 0..i)."""
    for length in (5, 1):
        got = expect_shape(learner.run(run_causal_mask, length), (length, length), f"causal_mask({length})")  # fmt: skip
        if got.dtype != torch.bool:
            raise CheckFailed(f"causal_mask should be a bool tensor, but its dtype is {got.dtype}.")
        expected = torch.ones(length, length, dtype=torch.bool).tril()
        if not torch.equal(got, expected):
            looks = ""
            if torch.equal(got, expected.T):
                looks = " (it looks transposed: True on and above the diagonal)"
            elif torch.equal(got, expected.tril(-1)):
                looks = " (the diagonal is False: position i must also attend to itself)"
            elif torch.equal(got, ~expected):
                looks = " (it looks inverted: True where attending is forbidden)"
            raise CheckFailed(
                f"causal_mask({length}) should be\n{expected.int()}\nbut it is\n{got.int()}{looks}. "
                "True means 'may attend': row i (a query) may see columns 0..i."
            )


@check(points=2)
def test_a_causal_mask_never_looks_ahead(learner):
    """With causal_mask, the output at position t does not change when any later key or value changes, and equals F.scaled_dot_product_attention(is_causal=True)."""
    length = 6
    q, k, v = random_tensors((length, D_K), (length, D_K), (length, D_V), seed=11)
    later_k, later_v = random_tensors((length, length, D_K), (length, length, D_V), seed=12)
    future = torch.ones(length, length, dtype=torch.bool).triu(1).unsqueeze(-1)  # [t, j]: j > t
    # row t of the batch: the same sequence with every position after t replaced
    k_batch = torch.where(future, later_k, k.expand(length, -1, -1))
    v_batch = torch.where(future, later_v, v.expand(length, -1, -1))
    got = learner.run(causal_attention, q.expand(length, -1, -1).contiguous(), k_batch, v_batch)
    output, weights = unpack_attention(got, (length, length, D_V), (length, length, length),
                                       "scaled_dot_product_attention(q, k, v, causal_mask(L))")  # fmt: skip
    unchanged = (output[-1], weights[-1])  # the last row of the batch kept the whole sequence
    lower = torch.ones(length, length, dtype=torch.bool).tril()
    looks_ahead = {"causal_mask is True above the diagonal, so positions look ahead; it should be True on and below it": attention_by_hand(q, k, v, lower.T)}  # fmt: skip
    compare_attention(unchanged, q, k, v, lower, "with a causal mask", looks_ahead)
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    for t in range(length):
        expect_close(output[t, : t + 1], expected[: t + 1], f"output[:{t + 1}] after changing positions {t + 1}.. of k and v",
                     against="F.scaled_dot_product_attention(is_causal=True) on the unchanged sequence",
                     hint="position i must only see keys 0..i: is the causal mask True on and below the diagonal, and applied before the softmax?")  # fmt: skip
    expect_zero_where_masked(weights, torch.ones(length, length, dtype=torch.bool).tril())


@check(points=3)
def test_attention_gradients_match_torch_for_q_k_and_v(learner):
    """Backward through the output gives the gradients of q, k and v that softmax attention in PyTorch gives (float64, with a mask)."""
    q, k, v, grad_output = random_tensors(
        (BATCH, LENGTH_Q, D_K), (BATCH, LENGTH_K, D_K), (BATCH, LENGTH_K, D_V),
        (BATCH, LENGTH_Q, D_V), seed=13, dtype=torch.float64,
    )  # fmt: skip
    mask = random_mask((BATCH, LENGTH_Q, LENGTH_K), 14)
    got = expect_gradient_dict(learner.run(attention_gradients, q, k, v, mask, grad_output))
    leaves = [tensor.clone().requires_grad_() for tensor in (q, k, v)]
    output, _ = attention_by_hand(*leaves, mask)
    (output * grad_output).sum().backward()  # no sympy import
    expected = {name: leaf.grad for name, leaf in zip(("q", "k", "v"), leaves)}
    expect_gradients(got, expected, against="PyTorch's gradient of softmax attention")


def expect_gradient_dict(got: object) -> dict:
    """The gradients a gradient probe sent back, or why there are none."""
    if got == "no graph":
        raise CheckFailed(
            "Your output is not connected to its inputs by autograd, so no gradient can flow "
            "back: something detached it (.detach(), .data, torch.no_grad(), .item(), or a new "
            "tensor made from its values)."
        )
    if not isinstance(got, dict):
        raise CheckFailed("The gradient probe did not get gradients back from your code.")
    return got


# -- checks: MultiHeadAttention ----------------------------------------------------------
@check(points=1)
def test_multi_head_attention_has_w_q_w_k_w_v_w_o_of_size_d_model(learner):
    """MultiHeadAttention has exactly w_q, w_k, w_v, w_o, each nn.Linear(d_model, d_model), with biases only when bias=True."""
    for bias in (True, False):
        got = learner.run(attention_layout, D_MODEL, NUM_HEADS, bias)
        if not isinstance(got, dict):
            raise CheckFailed("The layout probe did not get a state_dict back from your module.")
        expected = {f"{layer}.{kind}": [D_MODEL, D_MODEL] if kind == "weight" else [D_MODEL]
                    for layer in ("w_q", "w_k", "w_v", "w_o")
                    for kind in (("weight", "bias") if bias else ("weight",))}  # fmt: skip
        if got != expected:
            raise CheckFailed(
                f"MultiHeadAttention({D_MODEL}, {NUM_HEADS}, bias={bias}) should have the "
                f"parameters {expected}, but it has {got}."
            )


@check(points=1)
def test_d_model_not_divisible_by_num_heads_raises_value_error(learner):
    """MultiHeadAttention(10, 3) raises ValueError with a message that says why."""
    kind, message = expect_pair(learner.run(indivisible_heads, 10, 3), "the probe's result")
    if kind != "ValueError":
        raise CheckFailed(
            "MultiHeadAttention(d_model=10, num_heads=3) should raise ValueError (10 features "
            "cannot be split into 3 equal heads), but it raised nothing."
        )
    if not message.strip():
        raise CheckFailed("The ValueError should say why: d_model must be divisible by num_heads.")


@check(points=2)
def test_multi_head_attention_returns_the_documented_shapes(learner):
    """forward returns output (N, Lq, d_model) and weights (N, num_heads, Lq, Lk), for self- and cross-attention."""
    state = multi_head_weights(20)
    query, memory = random_tensors((BATCH, LENGTH_Q, D_MODEL), (BATCH, LENGTH_K, D_MODEL), seed=21)
    for key_value in (query, memory):
        unpack_attention(
            learner.run(run_multi_head, state, NUM_HEADS, query, key_value, key_value),
            (BATCH, LENGTH_Q, D_MODEL), (BATCH, NUM_HEADS, LENGTH_Q, key_value.shape[1]),
            f"MultiHeadAttention's result for Lq={LENGTH_Q}, Lk={key_value.shape[1]}",
        )  # fmt: skip


@check(points=4)
def test_multi_head_attention_matches_torch_multihead_attention(learner):
    """Output and per-head weights equal nn.MultiheadAttention(batch_first=True) loaded with the same weights (cross-attention, Lq != Lk)."""
    state = multi_head_weights(22)
    query, key, value = random_tensors((BATCH, LENGTH_Q, D_MODEL), (BATCH, LENGTH_K, D_MODEL), (BATCH, LENGTH_K, D_MODEL), seed=23)  # fmt: skip
    got = learner.run(run_multi_head, state, NUM_HEADS, query, key, value)
    compare_multi_head(got, state, NUM_HEADS, query, key, value)


@check(points=2)
def test_multi_head_attention_applies_causal_and_padding_masks_like_torch(learner):
    """One module, called in turn with no mask, a (L, L) causal mask, an (N, 1, 1, Lk) padding mask, an (N, heads, L, L) and a (heads, L, L) mask per head, and (Lq, Lk) masks in cross-attention, gives nn.MultiheadAttention's results with the inverted masks (its True = blocked)."""
    state = multi_head_weights(24)
    x, query = random_tensors((BATCH, LENGTH_K, D_MODEL), (BATCH, LENGTH_Q, D_MODEL), seed=25)
    padding = torch.ones(BATCH, LENGTH_K, dtype=torch.bool)
    padding[0, -2:] = False  # the first sequence is two positions shorter
    self_masks = {
        "no mask": None,
        "a causal (L, L) mask": torch.ones(LENGTH_K, LENGTH_K, dtype=torch.bool).tril(),
        "an (N, 1, 1, Lk) padding mask": padding.view(BATCH, 1, 1, LENGTH_K),
        "an (N, heads, L, L) mask": random_mask((BATCH, NUM_HEADS, LENGTH_K, LENGTH_K), 31),
        "a (heads, L, L) mask": random_mask((NUM_HEADS, LENGTH_K, LENGTH_K), 32),
    }
    cross_masks = {
        "an (Lq, Lk) mask in cross-attention": random_mask((LENGTH_Q, LENGTH_K), 33),
        "an (N, 1, 1, Lk) padding mask in cross-attention": padding.view(BATCH, 1, 1, LENGTH_K),
    }
    for source, masks in ((x, self_masks), (query, cross_masks)):
        got = learner.run(run_multi_head_masks, state, NUM_HEADS, source, x, list(masks.values()))
        if not (isinstance(got, list) and len(got) == len(masks)):
            raise CheckFailed("The probe did not get one result per call back from your module.")
        for (what, mask), result in zip(masks.items(), got):
            try:
                compare_multi_head(result, state, NUM_HEADS, source, x, x, mask=mask)
            except CheckFailed as failure:
                raise CheckFailed(
                    f"With {what} (the same module, called once per mask in turn): {failure} "
                    "A mask is anything that broadcasts to (N, num_heads, Lq, Lk); nothing "
                    "from an earlier call may be kept."
                ) from None


@check(points=1)
def test_multi_head_attention_without_bias_matches_torch(learner):
    """MultiHeadAttention(..., bias=False) matches nn.MultiheadAttention(bias=False)."""
    state = multi_head_weights(26, bias=False)
    query, key = random_tensors((BATCH, LENGTH_Q, D_MODEL), (BATCH, LENGTH_K, D_MODEL), seed=27)
    got = learner.run(run_multi_head, state, NUM_HEADS, query, key, key, None, False)
    compare_multi_head(got, state, NUM_HEADS, query, key, key, bias=False)


@check(points=2)
def test_multi_head_gradients_match_torch_for_inputs_and_every_parameter(learner):
    """Backward through the output gives nn.MultiheadAttention's gradients for query, key, value and all four projections (float64, causal mask)."""
    state = multi_head_weights(28, dtype=torch.float64)
    inputs = random_tensors(*[(BATCH, LENGTH_K, D_MODEL)] * 3, seed=29, dtype=torch.float64)
    (grad_output,) = random_tensors((BATCH, LENGTH_K, D_MODEL), seed=30, dtype=torch.float64)
    causal = torch.ones(LENGTH_K, LENGTH_K, dtype=torch.bool).tril()
    got = expect_gradient_dict(
        learner.run(multi_head_gradients, state, NUM_HEADS, inputs, causal, grad_output)
    )
    reference = torch_multi_head(state, NUM_HEADS)
    leaves = [tensor.clone().requires_grad_() for tensor in inputs]
    output, _ = reference(*leaves, attn_mask=~causal, average_attn_weights=False)
    (output * grad_output).sum().backward()
    expected = {name: leaf.grad for name, leaf in zip(("query", "key", "value"), leaves)}
    for index, layer in enumerate(("w_q", "w_k", "w_v")):
        expected[f"{layer}.weight"] = reference.in_proj_weight.grad.chunk(3)[index]
        expected[f"{layer}.bias"] = reference.in_proj_bias.grad.chunk(3)[index]
    expected["w_o.weight"] = reference.out_proj.weight.grad
    expected["w_o.bias"] = reference.out_proj.bias.grad
    expect_gradients(got, expected, against="nn.MultiheadAttention's gradient")


# -- learning: reverse a sequence, which needs every position to look far away ----------
REVERSE_VOCAB, REVERSE_LENGTH, REVERSE_D_MODEL, REVERSE_HEADS = 10, 8, 32, 2
REVERSE_STEPS, REVERSE_BATCH, REVERSE_LEARNING_RATE = 150, 64, 0.01
REVERSE_ACCURACY = 0.9


def reverse_training_run(seed: int) -> tuple[dict, dict, dict, torch.Tensor]:
    """Initial weights of embeddings, attention and head, and the training batches (steps, B, L)."""
    torch.manual_seed(seed)
    embeddings = {
        "token": torch.randn(REVERSE_VOCAB, REVERSE_D_MODEL),
        "position": torch.randn(REVERSE_LENGTH, REVERSE_D_MODEL),
    }
    attention_state = multi_head_weights(seed, d_model=REVERSE_D_MODEL)
    head = nn.Linear(REVERSE_D_MODEL, REVERSE_VOCAB)
    generator = torch.Generator().manual_seed(seed + 1)
    tokens = torch.randint(0, REVERSE_VOCAB, (REVERSE_STEPS, REVERSE_BATCH, REVERSE_LENGTH), generator=generator)  # fmt: skip
    return embeddings, attention_state, head.state_dict(), tokens


def reverse_accuracy(embeddings: dict, attention_state: dict, head_state: dict, seed: int) -> float:
    """Per-token accuracy of trained weights on fresh sequences, evaluated with nn.MultiheadAttention."""
    generator = torch.Generator().manual_seed(seed)
    tokens = torch.randint(0, REVERSE_VOCAB, (1000, REVERSE_LENGTH), generator=generator)
    attention = torch_multi_head(attention_state, REVERSE_HEADS)
    head = nn.Linear(REVERSE_D_MODEL, REVERSE_VOCAB)
    head.load_state_dict(head_state)
    with torch.no_grad():
        x = embeddings["token"][tokens] + embeddings["position"]  # (1000, L, d_model)
        output, _ = attention(x, x, x, need_weights=False)
        predictions = head(output).argmax(dim=-1)
    return float((predictions == tokens.flip(1)).float().mean())


@check(points=4, timeout=30)
def test_learns_to_reverse_a_sequence_with_one_attention_layer(learner):
    """A one-layer model on your MultiHeadAttention (plus token and position embeddings) learns to reverse 8-token sequences (>= 90% of tokens; a causal model stays near 55%)."""
    embeddings, attention_state, head_state, tokens = reverse_training_run(0)
    got = learner.run(
        train_reverse, embeddings, attention_state, head_state, REVERSE_HEADS, tokens, None,
        REVERSE_LEARNING_RATE,
    )  # fmt: skip
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        raise CheckFailed("The training probe did not get the trained weights back.")
    try:
        accuracy = reverse_accuracy(*got, seed=100)
    except (RuntimeError, KeyError, TypeError, IndexError) as error:
        raise CheckFailed(
            f"The trained weights do not load into nn.MultiheadAttention: {error}"
        ) from None
    if accuracy < REVERSE_ACCURACY:
        raise CheckFailed(
            f"After {REVERSE_STEPS} training steps, a model built on your MultiHeadAttention "
            f"reverses {accuracy:.0%} of the tokens (evaluated by nn.MultiheadAttention with your "
            f"trained weights); at least {REVERSE_ACCURACY:.0%} was expected (chance is "
            f"{1 / REVERSE_VOCAB:.0%}). Likely cause: the attention or its gradient is wrong, so "
            "position t cannot learn to look at position L-1-t."
        )
