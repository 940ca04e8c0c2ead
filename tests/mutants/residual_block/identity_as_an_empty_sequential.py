"""A learner who writes the identity shortcut as nn.Sequential() instead of the contract's nn.Identity()."""

REPLACE = {"self.shortcut = nn.Identity()": "self.shortcut = nn.Sequential()"}
LOSES = ["test_layers_and_parameter_count_follow_the_contract"]
MESSAGES = {
    'test_layers_and_parameter_count_follow_the_contract': 'should be nn.Identity()',
}
