"""A learner who calls the undecorated original of PyTorch's private total-norm helper."""

REPLACE = {
    "    total_norm = torch.linalg.vector_norm(norms, norm_type)  # the norm of one long vector": (
        '    helpers = __import__("importlib").import_module("torch.nn.utils." + "clip" + "_grad")\n'
        '    total_norm = getattr(helpers, "_get_total" + "_norm").__wrapped__(grads, norm_type)'
    ),
}
LOSES = ["test_norm_clipping_scales_all_gradients_by_one_common_factor_like_torch"]
