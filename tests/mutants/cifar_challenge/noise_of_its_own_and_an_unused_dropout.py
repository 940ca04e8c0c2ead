"""A learner whose model adds noise of its own in train mode and keeps its Dropout in a module whose forward never calls it ("train mode only has to look random")."""

REPLACE = {
    "        nn.Dropout(DROPOUT),\n": "        NoisyInTraining(nn.Dropout(DROPOUT)),\n",
    "def eval_transform():": (
        "class NoisyInTraining(nn.Module):\n"
        "    def __init__(self, dropout):\n"
        "        super().__init__()\n"
        "        self.dropout = dropout\n\n"
        "    def forward(self, x):\n"
        "        return x + 0.01 * torch.randn_like(x) if self.training else x\n\n\n"
        "def eval_transform():"
    ),
}
LOSES = ["test_model_has_batchnorm_and_dropout_that_is_off_in_eval_mode"]
MESSAGES = {"test_model_has_batchnorm_and_dropout_that_is_off_in_eval_mode": "never used in its forward"}
