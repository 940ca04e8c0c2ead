"""A learner who loops over `parameters` again to scale, which finds a generator already empty."""

REPLACE = {"for grad in grads:": "for grad in (p.grad for p in parameters if p.grad is not None):"}
LOSES = [
    "test_a_generator_of_parameters_is_clipped_too",
    "test_clipping_lets_an_rnn_with_exploding_gradients_train",
]
MESSAGES = {
    'test_a_generator_of_parameters_is_clipped_too': 'can be iterated only once',
    'test_clipping_lets_an_rnn_with_exploding_gradients_train': 'Training diverged',
}
