"""A learner who hides the float MultiheadAttention of PyTorch's quantizable package behind built names."""

REPLACE = {
    "        q = split_heads(self.w_q(query))  # (N, h, Lq, d_k)\n": (
        '        package = __import__("importlib").import_module("torch.ao.nn." + "quantiz" + "able")\n'
        '        other = getattr(package, "Multihead" + "Attention")(self.d_model, self.num_heads)\n'
        "        other = other.to(query.dtype)\n"
        '        for mine, theirs in ((self.w_q, "linear_Q"), (self.w_k, "linear_K"),\n'
        '                             (self.w_v, "linear_V"), (self.w_o, "out_proj")):\n'
        "            getattr(other, theirs).weight, getattr(other, theirs).bias = mine.weight, mine.bias\n"
        "        blocked = None\n"
        "        if mask is not None:\n"
        "            blocked = (~mask).expand(batch, self.num_heads, length_q, key.shape[1])\n"
        "            blocked = blocked.reshape(-1, length_q, key.shape[1])\n"
        "        out, weights = other(query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1),\n"
        "                             attn_mask=blocked, average_attn_weights=False)\n"
        "        return out.transpose(0, 1), weights\n"
        "        q = split_heads(self.w_q(query))  # (N, h, Lq, d_k)\n"
    ),
}
LOSES = ["test_multi_head_attention_matches_torch_multihead_attention"]
