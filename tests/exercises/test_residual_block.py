"""What the generic obligations cannot say about residual_block: the failure messages name
the mistake a learner made."""

import pytest

NAMED_MISTAKES = {
    "batchnorm_eps_from_keras": {
        "test_identity_block_matches_the_reference_in_train_mode": "eps=1e-5 and momentum=0.1",
    },
    "batchnorm_momentum_from_keras": {
        "test_identity_block_matches_the_reference_in_train_mode": "momentum=0.99",
    },
    "channels_zero_padded_at_stride_one": {
        "test_projection_blocks_match_the_reference": "look at the shortcut",
    },
    "skip_resized_by_interpolation": {
        "test_projection_blocks_match_the_reference": "(4, 3, 9, 9)",
    },
    "conv1_unstrided_then_subsampled": {
        "test_layers_and_parameter_count_follow_the_contract": "conv1 should have stride=(2, 2)",
    },
    "relu_as_the_identity_shortcut": {
        "test_layers_and_parameter_count_follow_the_contract": "changes x in train mode",
    },
    "output_detached": {
        "test_gradients_match_the_reference_for_input_and_every_parameter": "No gradient reached any input or parameter",
        "test_deep_stack_keeps_the_input_gradient_healthy": "No gradient reached the input of 24 of your blocks",
    },
    "dropout_as_the_identity_shortcut": {
        "test_layers_and_parameter_count_follow_the_contract": "the shortcut computes something",
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("mutant", NAMED_MISTAKES)
def test_the_failure_message_names_the_mistake(mutant, mutant_grades):
    messages = mutant_grades.failure_messages("residual_block", mutant)
    for check, phrase in NAMED_MISTAKES[mutant].items():
        assert phrase in messages[check], messages[check]
