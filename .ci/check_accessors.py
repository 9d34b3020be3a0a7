"""Ids become objects only through the accessors (`apps/<app>/access.py`).

A face module (an app's `api/` or `web/` package, a `views.py` or `views/` package) that turns
an id into an object itself skips the tenant filter the accessors put in the query: this
check fails on it. What it reports, in a face module:

- `get_object_or_404` / `get_list_or_404` (no tenant scope);
- `Model._default_manager` / `Model._base_manager` (the way around `.objects`);
- `.get(...)` on a manager chain (`Model.objects….get(`) and `.in_bulk(` on anything;
- `.filter(` / `.get(` looking rows up by their own id (`pk=`, `id=`, `pk__in=` …) with a
  value that may come from the client: an id parameter of any function (`record_id`, `ids`,
  `pk` …), `request.…` other than `request.user`, `self.kwargs`, and any local name computed
  from those;
- `Model.objects.filter(` by a parent's id (`record_id=`, `record__pk=`, `dataset_id__in=` …)
  with a value from the request itself (`request.…`, `self.kwargs`, a view's URL arguments):
  the children of a parent nobody checked. (A queryset from a selector such as
  `datasets_for(user)` is scoped already and may be narrowed by a parent's id.)

Accessor modules (`access.py`) are the only exemption. Run from the repository root:
`python .ci/check_accessors.py [paths…]` (default `apps`); exit status 1 on a finding.
"""

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACE_DIRS = {"api", "web", "views"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
RAW_MANAGERS = {"_default_manager", "_base_manager"}
ROW_LOOKUP_METHODS = {"filter", "get"}
# A parameter holding an id from the URL or the body: record_id, ids, pk, user_ids …
ID_PARAM = re.compile(r"^(pk|id|ids)$|_(pk|id|ids)$")
LOOKUP_SUFFIXES = {"in", "exact", "iexact"}

Finding = tuple[Path, int, int, str]


def is_face(path: Path) -> bool:
    """An app's api/, web/ or views module; never an accessor module (access.py)."""
    if path.name == "access.py":
        return False
    parts = path.resolve().parts
    if "apps" in parts:  # only the part inside apps/ counts, not where the checkout lives
        parts = parts[len(parts) - parts[::-1].index("apps") :]
    return path.stem == "views" or any(part in FACE_DIRS for part in parts[:-1])


def _lookup(keyword: str) -> str | None:
    """The kind of id lookup `keyword` is: "own" for the row's own id (pk, id__in),
    "parent" for a parent's (record_id, record__pk), None for anything else."""
    parts = keyword.split("__")
    if len(parts) > 1 and parts[-1] in LOOKUP_SUFFIXES:
        parts = parts[:-1]
    if parts in (["pk"], ["id"]):
        return "own"
    last = parts[-1]
    if last in ("pk", "id") or last.endswith("_id"):
        return "parent"
    return None


def _on_manager(node: ast.expr) -> bool:
    """Whether a call's receiver chain goes through `.objects` (Model.objects.filter(…)…)."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            if node.attr == "objects":
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            node = node.value
    return False


def _from_request(node: ast.AST, tainted: set[str]) -> bool:
    """Whether `node` reads a value the client chose."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id in tainted:
            return True
        if isinstance(sub, ast.Attribute):
            if sub.attr == "kwargs":  # self.kwargs: the URL's arguments
                return True
            if isinstance(sub.value, ast.Name) and sub.value.id == "request" and sub.attr != "user":
                return True
    return False


def _targets(node: ast.AST) -> Iterator[str]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            yield sub.id


def _tainted_names(
    func: ast.FunctionDef | ast.AsyncFunctionDef, inherited: set[str], *, strict: bool
) -> set[str]:
    """Names in `func` that may hold a client's id, and locals computed from them.

    Not strict: every id-named parameter. Strict: only a view's URL arguments (the
    parameters of a function that takes `request`), beside `request.…` itself.
    """
    args = func.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    names = {a.arg for a in params}
    tainted = set(inherited)
    if not strict:
        tainted |= {name for name in names if ID_PARAM.search(name)}
    elif "request" in names:
        tainted |= names - {"self", "cls", "request"}
    if args.kwarg is not None:
        tainted.add(args.kwarg.arg)
    flows: list[tuple[ast.AST, ast.AST]] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            flows += [(target, node.value) for target in node.targets]
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)) and node.value:
            flows.append((node.target, node.value))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            flows.append((node.target, node.iter))
    changed = True
    while changed:
        changed = False
        for target, value in flows:
            if _from_request(value, tainted):
                new = set(_targets(target)) - tainted
                if new:
                    tainted |= new
                    changed = True
    return tainted


class _Checker(ast.NodeVisitor):
    def __init__(self, path: Path):
        self.path = path
        self.findings: list[Finding] = []
        self.tainted: set[str] = set()  # may hold a client's id
        self.from_request: set[str] = set()  # comes from the request itself

    def report(self, node: ast.AST, message: str) -> None:
        self.findings.append((self.path, node.lineno, node.col_offset + 1, message))

    def visit_FunctionDef(self, node) -> None:
        outer = self.tainted, self.from_request
        self.tainted = _tainted_names(node, outer[0], strict=False)
        self.from_request = _tainted_names(node, outer[1], strict=True)
        self.generic_visit(node)
        self.tainted, self.from_request = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in SHORTCUTS:
            self.report(node, f"{node.id} has no tenant scope: use the app's access.py")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in SHORTCUTS:
            self.report(node, f"{node.attr} has no tenant scope: use the app's access.py")
        elif node.attr in RAW_MANAGERS:
            self.report(node, f"{node.attr} goes around the accessors: use the app's access.py")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name in SHORTCUTS:
                self.report(node, f"{alias.name} has no tenant scope: use the app's access.py")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr == "in_bulk":
                self.report(node, "in_bulk turns ids into objects: use the app's access.py")
            elif func.attr == "get" and _on_manager(func.value):
                self.report(node, "Model.objects….get( in a face: use the app's access.py")
            elif func.attr in ROW_LOOKUP_METHODS:
                self._check_row_lookup(node, func.attr)
        self.generic_visit(node)

    def _check_row_lookup(self, node: ast.Call, method: str) -> None:
        for keyword in node.keywords:
            kind = _lookup(keyword.arg) if keyword.arg else None
            if kind == "own":
                bad = _from_request(keyword.value, self.tainted)
            elif kind == "parent":
                bad = _on_manager(node.func) and _from_request(keyword.value, self.from_request)
            else:
                bad = False
            if bad:
                self.report(
                    node,
                    f".{method}({keyword.arg}=…) with an id from the request: "
                    "use the app's access.py",
                )


def check_file(path: Path) -> list[Finding]:
    if not is_face(path):
        return []
    checker = _Checker(path)
    checker.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return checker.findings


def python_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if "migrations" not in p.parts)
        else:
            yield path


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or [ROOT / "apps"]
    findings = [f for path in python_files(paths) for f in check_file(path)]
    for path, line, col, message in findings:
        print(f"{path}:{line}:{col}: {message}")
    if findings:
        print(
            f"{len(findings)} id lookup(s) outside the accessors: ids become objects only "
            "through apps/<app>/access.py (see .ci/check_accessors.py).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
