"""The reference with the identity shortcut written as an empty nn.Sequential(): it returns x
and holds no parameters, so it is the identity the contract asks for."""

REPLACE = {"self.shortcut = nn.Identity()": "self.shortcut = nn.Sequential()"}
