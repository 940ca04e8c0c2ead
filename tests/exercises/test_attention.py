"""What the generic obligations cannot say about attention: the reverse task needs attention
that looks both ways, and the failure messages name the mistakes they recognise."""

import pytest
import torch
from torch import nn

from course.graders import test_attention as grader
from course.graders.engine.compare import CheckFailed
from course.solutions import attention as reference


def trained_reverse_model(mask: torch.Tensor | None, seed: int = 0) -> tuple:
    embeddings, attention_state, head_state, tokens = grader.reverse_training_run(seed)
    return grader.train_reverse(
        reference, embeddings, attention_state, head_state, grader.REVERSE_HEADS, tokens, mask,
        grader.REVERSE_LEARNING_RATE,
    )  # fmt: skip


def causal_reverse_accuracy(embeddings: dict, attention_state: dict, head_state: dict) -> float:
    """Like grader.reverse_accuracy, but the model keeps the causal mask it was trained with."""
    tokens = torch.randint(
        0, grader.REVERSE_VOCAB, (1000, grader.REVERSE_LENGTH),
        generator=torch.Generator().manual_seed(100),
    )  # fmt: skip
    attention = grader.torch_multi_head(attention_state, grader.REVERSE_HEADS)
    head = nn.Linear(grader.REVERSE_D_MODEL, grader.REVERSE_VOCAB)
    head.load_state_dict(head_state)
    blocked = ~reference.causal_mask(grader.REVERSE_LENGTH)  # nn.MultiheadAttention: True = blocked
    with torch.no_grad():
        x = embeddings["token"][tokens] + embeddings["position"]
        output, _ = attention(x, x, x, attn_mask=blocked, need_weights=False)
        return float((head(output).argmax(dim=-1) == tokens.flip(1)).float().mean())


def no_attention_reverse_accuracy(seed: int = 0) -> float:
    """Token and position embeddings straight into the head: no position sees another."""
    embeddings, _, head_state, tokens = grader.reverse_training_run(seed)
    token_embedding = embeddings["token"].clone().requires_grad_()
    position_embedding = embeddings["position"].clone().requires_grad_()
    head = nn.Linear(grader.REVERSE_D_MODEL, grader.REVERSE_VOCAB)
    head.load_state_dict(head_state)
    optimizer = torch.optim.Adam(
        [token_embedding, position_embedding, *head.parameters()], lr=grader.REVERSE_LEARNING_RATE
    )
    for batch in tokens:
        logits = head(token_embedding[batch] + position_embedding)
        loss = nn.functional.cross_entropy(logits.flatten(0, 1), batch.flip(1).flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    test_tokens = torch.randint(
        0, grader.REVERSE_VOCAB, (1000, grader.REVERSE_LENGTH),
        generator=torch.Generator().manual_seed(100),
    )  # fmt: skip
    with torch.no_grad():
        predictions = head(token_embedding[test_tokens] + position_embedding).argmax(dim=-1)
    return float((predictions == test_tokens.flip(1)).float().mean())


def test_the_reference_reverses_sequences_well_above_the_threshold():
    accuracy = grader.reverse_accuracy(*trained_reverse_model(None), seed=100)
    assert accuracy >= grader.REVERSE_ACCURACY + 0.05, accuracy


def test_a_causal_model_that_cannot_look_ahead_stays_below_the_threshold():
    accuracy = causal_reverse_accuracy(*trained_reverse_model(reference.causal_mask(8)))
    assert accuracy < grader.REVERSE_ACCURACY - 0.2, accuracy


def test_a_model_without_attention_stays_near_chance():
    accuracy = no_attention_reverse_accuracy()
    assert accuracy < 2 / grader.REVERSE_VOCAB + 0.1, accuracy


def sample_inputs() -> tuple:
    q, k, v = grader.random_tensors((2, 3, 4), (2, 5, 4), (2, 5, 6), seed=1)
    return q, k, v, grader.random_mask((2, 3, 5), 2)


def test_a_mask_read_the_wrong_way_round_is_named_in_the_message():
    q, k, v, mask = sample_inputs()
    inverted = grader.attention_by_hand(q, k, v, ~mask)
    with pytest.raises(CheckFailed, match="mask is read the wrong way round"):
        grader.compare_attention(inverted, q, k, v, mask, "with the same mask")


def test_a_finite_mask_fill_is_named_when_the_scores_are_very_negative():
    q, k, v, mask = sample_inputs()
    q, k = 100 * q.abs() + 100, -100 * k.abs() - 100
    filled = grader.attention_by_hand(q, k, v, mask, fill=-1e4)
    with pytest.raises(CheckFailed, match="filled with a finite number"):
        grader.compare_attention(filled, q, k, v, mask, "with very negative scores")


def test_heads_split_without_a_transpose_are_named_in_the_message():
    state = grader.multi_head_weights(0)
    query, key = grader.random_tensors((2, 3, grader.D_MODEL), (2, 5, grader.D_MODEL), seed=3)
    mistakes = grader.multi_head_mistakes(state, grader.NUM_HEADS, query, key, key)
    split_wrongly = next(pair for cause, pair in mistakes.items() if "split" in cause)
    with pytest.raises(CheckFailed, match="heads are split with a reshape"):
        grader.compare_multi_head(split_wrongly, state, grader.NUM_HEADS, query, key, key)


def test_arguments_changed_in_place_are_named_in_the_message():
    q, k, v, mask = sample_inputs()
    first = grader.attention_by_hand(q, k, v, mask)
    second = grader.attention_by_hand(q, k, v, ~mask)  # the mask inverted by the first call
    with pytest.raises(CheckFailed, match="changes one of them in place"):
        grader.expect_same_on_a_second_call(second, first)
