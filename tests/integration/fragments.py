"""The fragments of docs/scaffold.md's "Going on by hand", applied to a generated project.

A fragment is a `python` block whose first line names its file: `# in src/core/services/x.py`.
Applied to that file (made if missing), each statement of the fragment goes in as a reader
would put it: an import beside the imports; a class or a call holding `...` extends the one of
that name already there (the lines after `...` at the class's end, the keywords after `...`
at the call's end); anything else is added at the end, replacing a statement of the same
name (the bundle's `RESOURCE = ...`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

FRAGMENT = re.compile(r"```python\n# in (\S+)\n(.*?)^```", re.M | re.S)


def fragments(page: Path) -> list[tuple[str, str]]:
    """(path, source) of every fragment of the page, in page order."""
    return FRAGMENT.findall(page.read_text(encoding="utf-8"))


def apply(root: Path, path: str, fragment: str) -> None:
    """The fragment applied to `root / path`."""
    target = root / path
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fragment)
        return
    source = target.read_text()
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)
    last_import = max(
        each.end_lineno or 0 for each in tree.body if isinstance(each, ast.Import | ast.ImportFrom)
    )
    edits: list[tuple[int, int, str]] = []  # lines [first, last) become the text
    added: list[str] = []
    for statement in ast.parse(fragment).body:
        text = _lines(fragment, statement)
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # the new module's docstring
        if isinstance(statement, ast.Import | ast.ImportFrom):
            if text not in lines:
                edits.append((last_import, last_import, text))
        elif (same := _same_name(tree, statement)) is None:
            added.append("\n\n" + text)
        elif _extends(statement):
            end = same.end_lineno or 0
            edits.append((end - 1, end, _extended(fragment, statement, lines[end - 1])))
        else:  # moved to the end, so that it follows what the fragment adds before it
            edits.append((_first_line(same) - 1, same.end_lineno or 0, ""))
            added.append("\n\n" + text)
    for first, last, text in sorted(edits, key=lambda edit: edit[0], reverse=True):
        lines[first:last] = [text]
    target.write_text("".join(lines + added))


def _first_line(statement: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(statement, "decorator_list", [])
    return min([statement.lineno, *(each.lineno for each in decorators)])


def _lines(source: str, statement: ast.stmt) -> str:
    """The statement's whole lines, its decorators and trailing comments included."""
    lines = source.splitlines(keepends=True)
    return "".join(lines[_first_line(statement) - 1 : statement.end_lineno])


def _names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.ClassDef | ast.FunctionDef):
        return {statement.name}
    if isinstance(statement, ast.Assign):
        return {each.id for each in statement.targets if isinstance(each, ast.Name)}
    return set()


def _same_name(tree: ast.Module, statement: ast.stmt) -> ast.stmt | None:
    names = _names(statement)
    return next((each for each in tree.body if names and _names(each) == names), None)


def _is_ellipsis(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _extends(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.ClassDef):
        return any(
            isinstance(each, ast.Expr) and _is_ellipsis(each.value) for each in statement.body
        )
    value = getattr(statement, "value", None)
    return isinstance(value, ast.Call) and any(_is_ellipsis(each) for each in value.args)


def _extended(fragment: str, statement: ast.stmt, last: str) -> str:
    """The existing statement's last line with what the fragment gives after its `...`."""
    if isinstance(statement, ast.ClassDef):
        body = statement.body
        after = next(
            index
            for index, each in enumerate(body)
            if isinstance(each, ast.Expr) and _is_ellipsis(each.value)
        )
        return last + "".join(
            ("\n" if isinstance(each, ast.FunctionDef) else "") + _lines(fragment, each)
            for each in body[after + 1 :]
        )
    call = getattr(statement, "value", None)
    assert isinstance(call, ast.Call)
    keywords = [ast.get_source_segment(fragment, each) or "" for each in call.keywords]
    closing = last.rindex(")")
    if last[:closing].strip():  # `ResourceType(name="events")` on one line
        return f"{last[:closing]}, {', '.join(keywords)}{last[closing:]}"
    return "".join(f"    {each},\n" for each in keywords) + last
