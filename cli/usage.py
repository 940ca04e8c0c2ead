"""How every command reads its command line: conventional help, one-line usage errors.

Every command is built with `KitCommand` (the app itself with `KitGroup`), so the rules hold
for each command without a word in its own module:
- help shows conventional metavars: a flag has none, a number is N, a path is PATH (or the
  metavar its option declares: DIR, FILE), text is the option's name in capitals (TOPIC);
  a number's range reads "at least 1"; arguments read NAME, [NAME] when optional;
- `usage_error_line` turns typer's usage errors (unknown option, extra argument, missing
  argument, a value out of range or not a number) into one line that says the fix.
"""

from pathlib import Path

from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption, UsageError
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


class _Option(TyperOption):
    """An option as help shows it: no metavar on a flag, a conventional one otherwise."""

    def display_type_rich(self, ctx) -> str | None:
        return "" if self.is_flag else self.metavar or _metavar_of(self)

    def _get_number_range_help_str(self) -> str | None:
        return _range_in_words(self.min, self.max)


class _Argument(TyperArgument):
    """An argument as help and usage show it: its name in capitals, no Python type."""

    def display_type_rich(self, ctx) -> str | None:
        return None

    @property
    def display_name_raw(self) -> str:
        return self.metavar or self.name.upper()

    def _usage_display_name(self) -> str:
        return self.display_name_raw if self.required else f"[{self.display_name_raw}]"

    def _get_number_range_help_str(self) -> str | None:
        return _range_in_words(self.min, self.max)


def _conventional(params: list) -> None:
    """Give typer's parameters the help display above (same objects, same parsing)."""
    for param in params:
        if isinstance(param, TyperOption) and type(param) is TyperOption:
            param.__class__ = _Option
        elif isinstance(param, TyperArgument) and type(param) is TyperArgument:
            param.__class__ = _Argument


class _ConventionalHelp:
    """Conventional help for a command or a group: its parameters and its --help option."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _conventional(self.params)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        _conventional([option] if option is not None else [])
        return option


class KitCommand(_ConventionalHelp, TyperCommand):
    """A `course` command whose help reads conventionally (see the module docstring)."""


class KitGroup(_ConventionalHelp, TyperGroup):
    """The `course` app itself, with the same conventional help as its commands."""


def usage_error_line(error: UsageError, command: str = "course") -> str:
    """One line saying what was wrong on the command line and how to fix it.

    `command`: the command that was run (`course grade`), for errors typer raises before it
    knows which command it parses."""
    command = error.ctx.command_path if error.ctx is not None else command
    see = f"see `{command} --help`"
    param = getattr(error, "param", None)
    if isinstance(error, MissingParameter) and param is not None:
        return f"`{command}` needs {_name_of(param)}; {see}."
    if isinstance(error, BadParameter) and param is not None:
        return f"{_name_of(param)} {_what_is_wanted(param, error.message)}; {see}."
    if isinstance(error, NoSuchOption):
        close = sorted(error.possibilities or [])
        suggestion = f" (did you mean {' or '.join(close)}?)" if close else ""
        return f"`{command}` has no option {error.option_name}{suggestion}; {see}."
    message = " ".join(error.format_message().split()).rstrip(".")
    return f"{message[:1].lower()}{message[1:]}; {see}."


def _name_of(param) -> str:
    """--count for an option, NAME for an argument."""
    if isinstance(param, TyperOption):
        return max(param.opts, key=len)
    return param.metavar or param.name.upper()


def _what_is_wanted(param, complaint: str) -> str:
    """`must be at least 1`, `must be a whole number`...: the rule a bad value broke."""
    info = param.type_descriptor.parameter_info
    annotation = param.type_descriptor.annotation
    in_words = _range_in_words(info.min, info.max)
    if in_words and any(bound in complaint for bound in ("greater than", "less than")):
        return f"must be {in_words}"
    if annotation is int:
        return "must be a whole number"
    if annotation is float:
        return "must be a number"
    return f"is not valid here: {complaint[:1].lower()}{complaint[1:].rstrip('.')}"


def _range_in_words(low, high) -> str | None:
    if low is not None and high is not None:
        return f"from {low} to {high}"
    if low is not None:
        return f"at least {low}"
    if high is not None:
        return f"at most {high}"
    return None


def _metavar_of(option: TyperOption) -> str:
    annotation = option.type_descriptor.annotation
    if annotation in (int, float):
        return "N"
    if annotation is Path:
        return "PATH"
    return option.name.upper()
