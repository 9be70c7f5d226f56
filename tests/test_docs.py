"""The README is tested against the code: every command and option is documented, and the library
example runs and prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from letterbook.cli import main

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"


def commands(group: click.Group, prefix: str = "letterbook") -> Iterator[tuple[str, click.Command]]:
    """Give every command under the group, with its full name ("letterbook extract")."""
    yield prefix, group
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def documented() -> list[tuple[str, str]]:
    """Give (command, option) pairs to look for in the README; option "" stands for the command."""
    pairs = []
    for name, command in commands(main):
        pairs.append((name, ""))
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden or "--help" in param.opts:
                continue
            longest = max(param.opts + param.secondary_opts, key=len)
            pairs.append((name, longest))
    return pairs


@pytest.mark.parametrize(("command", "option"), documented(),
                         ids=[f"{c} {o}".strip() for c, o in documented()])
def test_readme_documents_every_command_and_option(command: str, option: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if option:
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", readme), \
            f"README.md does not mention {command} {option}"
    else:
        assert command in readme, f"README.md does not mention `{command}`"


def test_readme_library_example_prints_what_it_says() -> None:
    readme = README.read_text(encoding="utf-8")
    match = re.search(r"```python\n(?P<code>.*?)```\n+(?:which prints:?\n+)?```text\n(?P<out>.*?)```", readme,
                      re.S)
    assert match, "README.md should show a ```python example followed by its ```text output"
    printed = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        with contextlib.redirect_stdout(printed):
            exec(compile(match.group("code"), "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert printed.getvalue() == match.group("out")
