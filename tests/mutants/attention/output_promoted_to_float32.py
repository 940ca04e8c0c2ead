"""A learner who computes in float32 'for safety' and returns float32 for any input dtype."""

REPLACE = {
    "    d_k = q.shape[-1]\n": (
        "    q, k, v = q.float(), k.float(), v.float()\n"
        "    d_k = q.shape[-1]\n"
    ),
}
LOSES = ["test_attention_returns_output_and_weights_of_the_documented_shapes"]
