"""drill's own review rules: what an interviewer notices in FastAPI code that ruff does not.

Usage: python drill_review.py FILE...   (prints {"notes": [...], "errors": [...]} as JSON)

Only the standard library's `ast`: no regular expressions over source text. Each note names its
rule, file, line and column; the words a learner reads live in drill (src/core/review/rules.ts),
so this script stays small and its output stable. Runs on Python 3.10+.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass

ROUTE_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket"}
# Calls that build something meant to live as long as the process: a model, an HTTP client, a
# database engine, a Redis or broker connection. Built inside a handler, they are built per request.
PER_PROCESS_FACTORIES = {
    "SentimentModel",
    "AsyncClient",
    "Client",
    "create_engine",
    "create_async_engine",
    "from_url",
    "Redis",
    "connect_robust",
}
# `X.load(...)` builds a model when X is a class (SentimentModel.load) or a model loader;
# json.load(handle) and the like are not.
MODEL_LOADERS = {"joblib", "pickle", "torch"}
MUTATING_METHODS = {"append", "extend", "insert", "pop", "popitem", "remove", "clear", "update", "setdefault", "add", "discard"}
MUTABLE_FACTORIES = {"dict", "list", "set", "defaultdict", "OrderedDict", "deque", "Counter"}
SECRET_WORDS = ("secret", "password", "passwd", "token", "api_key", "apikey")


@dataclass(frozen=True)
class Note:
    rule: str
    file: str
    line: int
    col: int


def dotted(node: ast.AST) -> str:
    """`os.environ.get` for an Attribute chain over a Name; "" for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def call_name(call: ast.Call) -> str:
    """The last name of what is called: `load` for `SentimentModel.load(...)`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def loads_a_model(call: ast.Call) -> bool:
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "load" and isinstance(func.value, ast.Name)):
        return False
    owner = func.value.id
    return owner[:1].isupper() or owner in MODEL_LOADERS


def route_decorator(decorator: ast.expr) -> ast.Call | None:
    if (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in ROUTE_METHODS
        and isinstance(decorator.func.value, (ast.Name, ast.Attribute))
    ):
        return decorator
    return None


def is_route(func: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.Call | None:
    for decorator in func.decorator_list:
        found = route_decorator(decorator)
        if found is not None:
            return found
    return None


def own_nodes(func: ast.AST) -> Iterator[ast.AST]:
    """Every node in a function's body, not descending into nested functions, lambdas or classes."""
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))


# API_KEY_HEADER = "X-API-Key" names where a secret travels; it is not one.
NOT_A_SECRET_SUFFIXES = ("header", "name", "env", "var", "field", "prefix", "url", "scheme")


def secret_name(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_WORDS) and not lowered.endswith(NOT_A_SECRET_SUFFIXES)


def non_empty_str(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value != ""


def swallowed(handler: ast.ExceptHandler) -> bool:
    """`except:` always; `except Exception: pass` (or `...`) when the body does nothing."""
    if handler.type is None:
        return True
    caught = dotted(handler.type)
    if caught not in {"Exception", "BaseException"}:
        return False
    return all(
        isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))
        for stmt in handler.body
    )


class Reviewer:
    def __init__(self, path: str, tree: ast.Module) -> None:
        self.path = path
        self.tree = tree
        self.notes: list[Note] = []
        self.module_state = self.mutable_module_names()

    def note(self, rule: str, node: ast.AST) -> None:
        self.notes.append(Note(rule, self.path, getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1))

    def mutable_module_names(self) -> set[str]:
        names: set[str] = set()
        for stmt in self.tree.body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            mutable = isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)) or (
                isinstance(value, ast.Call) and call_name(value) in MUTABLE_FACTORIES
            )
            if mutable:
                names.update(target.id for target in targets if isinstance(target, ast.Name))
        return names

    def run(self) -> list[Note]:
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.function(node)
            elif isinstance(node, ast.ExceptHandler) and swallowed(node):
                self.note("DR006", node)
            elif isinstance(node, ast.Call):
                self.call(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                self.assignment(node)
        self.notes.sort(key=lambda note: (note.line, note.col, note.rule))
        return self.notes

    def function(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in func.decorator_list:
            # @app.on_event("startup") / ("shutdown"): deprecated for the lifespan handler.
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Attribute) and target.attr == "on_event":
                self.note("DR001", decorator)
        if isinstance(func, ast.AsyncFunctionDef):
            self.async_body(func)
        route = is_route(func)
        if route is None:
            return
        declared = {keyword.arg for keyword in route.keywords}
        if func.returns is None and not declared & {"response_model", "response_class"}:
            self.note("DR008", func)
        locked = self.locked_nodes(func)
        for node in own_nodes(func):
            if isinstance(node, ast.Call) and (call_name(node) in PER_PROCESS_FACTORIES or loads_a_model(node)):
                self.note("DR002", node)
            # os.environ[...] and os.environ.get(...) both hold the `os.environ` attribute once.
            if (isinstance(node, ast.Attribute) and dotted(node) == "os.environ") or (
                isinstance(node, ast.Call) and dotted(node.func) in {"os.getenv", "getenv"}
            ):
                self.note("DR009", node)
            if node not in locked and self.mutates_module_state(node):
                self.note("DR004", node)

    def async_body(self, func: ast.AsyncFunctionDef) -> None:
        """`model.predict(...)` called (not awaited, not handed on) inside `async def`."""
        # Awaited, or handed to another call (create_task(...), wait_for(...)): a coroutine, not a block.
        awaited = {id(node.value) for node in own_nodes(func) if isinstance(node, ast.Await)}
        awaited |= {id(arg) for node in own_nodes(func) if isinstance(node, ast.Call) for arg in node.args}
        for node in own_nodes(func):
            called = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "predict"
            if called and id(node) not in awaited:
                self.note("DR003", node)

    def locked_nodes(self, func: ast.AST) -> set[ast.AST]:
        """Nodes inside a `with`/`async with` block: a lock (or any context) guards them."""
        inside: set[ast.AST] = set()
        for node in own_nodes(func):
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for stmt in node.body:
                    inside.update(ast.walk(stmt))
        return inside

    def mutates_module_state(self, node: ast.AST) -> bool:
        if not self.module_state:
            return False
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATING_METHODS:
            return isinstance(node.func.value, ast.Name) and node.func.value.id in self.module_state
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            return any(
                isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id in self.module_state
                for target in targets
            )
        return False

    def call(self, call: ast.Call) -> None:
        if isinstance(call.func, ast.Name) and call.func.id == "print":
            self.note("DR007", call)
        # os.getenv("API_SECRET", "dev-secret") / os.environ.get(...): a secret with a fallback.
        if dotted(call.func) in {"os.getenv", "os.environ.get", "getenv"} and len(call.args) >= 2:
            name = call.args[0]
            named = isinstance(name, ast.Constant) and isinstance(name.value, str) and secret_name(name.value)
            if named and non_empty_str(call.args[1]):
                self.note("DR005", call)

    def assignment(self, node: ast.Assign | ast.AnnAssign) -> None:
        # WEBHOOK_SECRET = "dev" at module level, or `webhook_secret: str = "dev"` in a Settings class.
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if not non_empty_str(value):
            return
        if any(isinstance(target, ast.Name) and secret_name(target.id) for target in targets):
            self.note("DR005", node)


def review(paths: list[str]) -> dict[str, list[dict[str, object]]]:
    notes: list[dict[str, object]] = []
    errors: list[dict[str, object]] = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                source = handle.read()
            tree = ast.parse(source, filename=path)
        except SyntaxError as exc:
            errors.append({"file": path, "line": exc.lineno or 1, "message": exc.msg})
            continue
        except (OSError, UnicodeDecodeError) as exc:
            errors.append({"file": path, "line": 1, "message": str(exc)})
            continue
        notes.extend(asdict(note) for note in Reviewer(path, tree).run())
    return {"notes": notes, "errors": errors}


if __name__ == "__main__":
    json.dump(review(sys.argv[1:]), sys.stdout)
    sys.stdout.write("\n")
