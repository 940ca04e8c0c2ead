"""The one exception type for problems the user must fix (bad name, missing data, bad option)."""


class UserError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits non-zero."""
