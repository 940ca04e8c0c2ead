"""The learner calls F.dropout(x, p) in forward, whose training argument defaults to True."""

REPLACE = {
    'def build_model(num_classes: int = 10) -> nn.Module:': 'class HeadDropout(nn.Dropout):\n    def forward(self, x):\n        return F.dropout(x, self.p)\n\n\ndef build_model(num_classes: int = 10) -> nn.Module:',
    '        nn.Dropout(DROPOUT),': '        HeadDropout(DROPOUT),',
}
LOSES = ['test_model_has_batchnorm_and_dropout_that_is_off_in_eval_mode']
