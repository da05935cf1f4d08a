#!/usr/bin/env python3
"""Import circles between files, and crate layering, for the Accord workspace.

Issue 8 asks that no module import, directly or through others, a module that imports it,
and that no crate depend, even for tests, on a crate above it in the README's layout. This
script checks both from the sources alone (Python 3.11 standard library, no network, no
cargo), so it can run in CI before anything is built.

Module cycles
    For every member of the root Cargo.toml, each target is read as its own module tree:
    the library (`src/lib.rs`), binaries (`src/main.rs`, `src/bin/`), every integration
    test binary (`tests/x.rs`, `tests/x/main.rs`), benches and examples, plus any target
    path the crate's Cargo.toml names. Files are found through `mod x;` declarations
    (`#[path]` honoured), as rustc finds them.

    File A has an edge to file B when A names an item of B:
      * a `use` path (`use crate::…`, `use super::…`, `use self::…`, or a path starting
        with a child module), including `pub use` re-exports in lib.rs/mod.rs;
      * a path anywhere in the code: `crate::x::f(…)`, `super::T`, `self::m::C`,
        `$crate::…`, or `child::f(…)` for a child module `child`.
    `mod x;` declarations are not edges: declaring a child does not use it. A path is
    resolved to the deepest module it names (`crate::a::b::C` is `src/a/b.rs` or
    `src/a/b/mod.rs` when `b` is a module, `src/a.rs` when `b` is an item), and a name that
    a module only re-exports (`crate::Risk` with `pub use risk::Risk;` in lib.rs) is
    followed to the file that defines it. Importing a module (`use crate::graphql;`) is
    not an edge by itself; paths through it (`graphql::dto::X`) are. Inline modules
    (`mod tests { … }`) belong to their file, so a unit-test block's references to its own
    file are not edges; its references to other files are (they are part of that file).
    Comments (doc comments included) and string literals are skipped.

    Each cycle is printed as the shortest cycle through one of its edges, so every edge
    that takes part in a cycle appears in at least one printed line, e.g.
    `accord-scopes: src/model.rs -> src/parse.rs -> src/model.rs`.

Crate layering
    `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]` (and their
    `[target.….*]` forms) on workspace crates must point down LAYERS (lowest first);
    the test kit may use the crates listed in EXTRA_ALLOWED as well. Violations are
    reported in their own section; `--allow-crate-edge testkit:gateway` accepts a known one.

Exit status: 0 when every cycle and layer violation found is allowed, 1 otherwise, 2 on a
usage error or a workspace the script cannot read.

Known limits (it reads text, it does not run rustc): method calls and trait impls are
invisible (`x.covers(y)` does not name the module that defines `covers`), as are items
produced by macros and names reached only through a glob import of a glob import. A path
whose first segment is neither `crate`, `super`, `self` nor a name declared or imported in
the module is taken to be another crate's.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

# The README's layout, lowest first: a crate may depend only on crates before it.
LAYERS = ["kernel", "scopes", "db", "testkit", "migrations", "tenants", "notifications", "registry", "approvals", "lifecycle", "enforcement", "gateway"]
# Crates a crate may use although they are not below it in LAYERS.
EXTRA_ALLOWED = {"testkit": {"migrations"}}

DEP_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")

# --------------------------------------------------------------------------------------
# Lexing: identifiers, `::`, single-character punctuation and string literals (kept as
# one token so their contents are never read as code). Comments are dropped.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str  # "id", "p" (punctuation, `::` included), "str", "lit" (number, char, lifetime)
    text: str
    line: int


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lc>//[^\n]*)
  | (?P<bc>/\*)
  | (?P<rawstr>[bc]?r(?P<hashes>\#*)")
  | (?P<str>[bc]?")
  | (?P<bchar>b')
  | (?P<q>')
  | (?P<rawid>r\#[^\W\d]\w*)
  | (?P<id>[^\W\d]\w*)
  | (?P<num>\d\w*)
  | (?P<dc>::)
  | (?P<p>.)
    """,
    re.X | re.S,
)
_LIFETIME = re.compile(r"[^\W\d]\w*")


def lex(src: str) -> list[Tok]:
    """Tokens of Rust source, without comments."""
    toks: list[Tok] = []
    i, n, line = 0, len(src), 1
    while i < n:
        m = _TOKEN.match(src, i)
        if m is None:  # pragma: no cover - `.` with re.S matches anything
            break
        kind = m.lastgroup
        if kind == "hashes":
            kind = "rawstr"
        start = i
        i = m.end()
        if kind in ("ws", "lc"):
            line += src.count("\n", start, i)
        elif kind == "bc":
            depth = 1
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            line += src.count("\n", start, i)
        elif kind == "rawstr":
            closing = '"' + m.group("hashes")
            j = src.find(closing, i)
            j = n if j < 0 else j
            toks.append(Tok("str", src[i:j], line))
            i = j + len(closing)
            line += src.count("\n", start, i)
        elif kind == "str":
            j = i
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            toks.append(Tok("str", src[i:j], line))
            i = j + 1
            line += src.count("\n", start, i)
        elif kind in ("bchar", "q"):
            q = i - 1  # index of the opening quote
            if q + 1 < n and src[q + 1] == "\\":  # escaped char: '\n', '\'', '\u{…}'
                j = src.find("'", q + 3)
                i = n if j < 0 else j + 1
            elif q + 2 < n and src[q + 2] == "'":  # 'x'
                i = q + 3
            elif kind == "q":  # lifetime or label: 'a, 'static
                lm = _LIFETIME.match(src, q + 1)
                i = lm.end() if lm else q + 1
            toks.append(Tok("lit", src[start:i], line))
        elif kind == "rawid":
            toks.append(Tok("id", m.group()[2:], line))
        elif kind == "id":
            toks.append(Tok("id", m.group(), line))
        elif kind == "num":
            toks.append(Tok("lit", m.group(), line))
        else:  # dc, p
            toks.append(Tok("p", m.group(), line))
    return toks


# --------------------------------------------------------------------------------------
# Module trees
# --------------------------------------------------------------------------------------


@dataclass(eq=False)
class Module:
    name: str
    parent: Module | None
    file: Path  # the file holding this module's body (inline modules: their file)
    child_dir: Path  # where `mod x;` inside this module looks for x.rs / x/mod.rs
    inline: bool
    children: dict[str, Module] = field(default_factory=dict)
    items: set[str] = field(default_factory=set)
    imports: dict[str, list[tuple[Module, tuple[str, ...]]]] = field(default_factory=dict)
    globs: list[tuple[Module, tuple[str, ...]]] = field(default_factory=list)

    def root(self) -> Module:
        m = self
        while m.parent is not None:
            m = m.parent
        return m


@dataclass(frozen=True)
class Ref:
    """A path written in `module`'s code, to be resolved once every file is read."""

    module: Module
    segments: tuple[str, ...]
    kind: str  # "use" (a named import), "glob" (`use x::*`) or "path" (any other path)
    line: int
    test: bool  # inside `#[cfg(test)]` code


ITEM_KEYWORDS = {"fn", "struct", "enum", "union", "trait", "type", "const", "static"}
PATH_STARTS = {"crate", "super", "self"}


def _matching(toks: list[Tok], i: int) -> int:
    """Index of the bracket closing the one at `i` (or the last token)."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = [pairs[toks[i].text]]
    j = i + 1
    while j < len(toks) and stack:
        t = toks[j]
        if t.kind == "p":
            if t.text in pairs:
                stack.append(pairs[t.text])
            elif stack and t.text == stack[-1]:
                stack.pop()
        j += 1
    return j - 1


def _is_cfg_test(attr: list[Tok]) -> bool:
    """`cfg(test)`, `cfg(all(test, …))`: code that exists only in unit-test builds."""
    words = {t.text for t in attr[1:] if t.kind == "id"}
    return bool(attr) and attr[0].text == "cfg" and "test" in words and "not" not in words


def _test_mask(toks: list[Tok]) -> list[bool]:
    """For each token, whether it lies inside an item marked `#[cfg(test)]`."""
    mask = [False] * len(toks)
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "p" and t.text == "#":
            inner = i + 1 < len(toks) and toks[i + 1].text == "!"
            open_at = i + 2 if inner else i + 1
            if open_at < len(toks) and toks[open_at].text == "[":
                close = _matching(toks, open_at)
                if _is_cfg_test(toks[open_at + 1 : close]):
                    if inner:  # `#![cfg(test)]`: the whole enclosing module
                        end = len(toks) - 1
                    else:
                        end = _item_end(toks, close + 1)
                    for k in range(i, end + 1):
                        mask[k] = True
                i = close + 1
                continue
        i += 1
    return mask


def _item_end(toks: list[Tok], i: int) -> int:
    """Last token of the item starting at `i` (after its attributes): its `;` or `}`."""
    while i < len(toks) and toks[i].text == "#":  # further attributes
        j = i + 1
        if j < len(toks) and toks[j].text == "!":
            j += 1
        if j < len(toks) and toks[j].text == "[":
            i = _matching(toks, j) + 1
        else:
            break
    while i < len(toks):
        t = toks[i]
        if t.kind == "p" and t.text in ("(", "["):
            i = _matching(toks, i) + 1
            continue
        if t.kind == "p" and t.text == ";":
            return i
        if t.kind == "p" and t.text == "{":
            return _matching(toks, i)
        i += 1
    return len(toks) - 1


def _parse_use_tree(toks: list[Tok], i: int, prefix: list[str]) -> tuple[list[tuple[tuple[str, ...], str | None]], int]:
    """Leaves of the use tree at `i`: (segments, name bound or "*" for a glob)."""
    leaves: list[tuple[tuple[str, ...], str | None]] = []
    segs = list(prefix)
    if i < len(toks) and toks[i].text == "::":
        if not segs:
            segs.append("::")
        i += 1
    while i < len(toks):
        t = toks[i]
        if t.text == "{":
            i += 1
            while i < len(toks) and toks[i].text != "}":
                sub, i = _parse_use_tree(toks, i, segs)
                leaves += sub
                if i < len(toks) and toks[i].text == ",":
                    i += 1
                elif i < len(toks) and toks[i].text != "}":
                    i += 1  # malformed: step over
            return leaves, i + 1
        if t.text == "*":
            leaves.append((tuple(segs), "*"))
            return leaves, i + 1
        if t.kind == "id":
            segs.append(t.text)
            i += 1
            if i < len(toks) and toks[i].text == "::":
                i += 1
                continue
            name: str | None = segs[-1]
            if name == "self":
                name = segs[-2] if len(segs) > 1 else None
            if i + 1 < len(toks) and toks[i].kind == "id" and toks[i].text == "as":
                name = toks[i + 1].text
                name = None if name == "_" else name
                i += 2
            leaves.append((tuple(segs), name))
            return leaves, i
        return leaves, i  # unexpected token: stop
    return leaves, i


class Target:
    """One compilation target (a crate root) and the module tree under it."""

    def __init__(self, crate: Crate, kind: str, root_file: Path):
        self.crate = crate
        self.kind = kind
        self.root_file = root_file
        self.refs: list[Ref] = []
        self.files: set[Path] = set()
        self.problems: list[str] = []
        self.root = Module("crate", None, root_file, root_file.parent, False)
        self._parse_file(self.root, test=False)

    # -- reading files --------------------------------------------------------------

    def _parse_file(self, module: Module, test: bool) -> None:
        path = module.file
        if path in self.files:  # the same file declared twice: read it once
            return
        self.files.add(path)
        try:
            src = path.read_text(encoding="utf-8")
        except OSError as e:
            self.problems.append(f"{self.crate.rel(path)}: {e.strerror}")
            return
        toks = lex(src)
        mask = _test_mask(toks)
        if test:
            mask = [True] * len(toks)
        self._walk(module, toks, mask)

    def _walk(self, file_module: Module, toks: list[Tok], mask: list[bool]) -> None:
        # Inline modules open at a brace depth; their body is one deeper.
        stack: list[tuple[Module, int]] = [(file_module, 0)]
        depth = 0
        attrs: list[list[Tok]] = []  # outer attributes waiting for their item
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            module, body = stack[-1]
            body_depth = body if module is file_module else body + 1
            nxt = toks[i + 1] if i + 1 < n else None
            prev = toks[i - 1] if i > 0 else None

            if t.kind == "p":
                if t.text == "#":
                    j = i + 2 if nxt is not None and nxt.text == "!" else i + 1
                    if j < n and toks[j].text == "[":
                        close = _matching(toks, j)
                        if j == i + 1:
                            attrs.append(toks[j + 1 : close])
                        # Paths inside attributes (`#[serde(with = crate::x)]`) still count.
                        self._scan_paths(module, toks, j + 1, close, mask)
                        i = close + 1
                        continue
                elif t.text == "{":
                    depth += 1
                elif t.text == "}":
                    depth -= 1
                    if len(stack) > 1 and depth == stack[-1][1]:
                        stack.pop()
                if t.text in (";", "{", "}"):
                    attrs = []
                i += 1
                continue

            if t.kind != "id":
                i += 1
                continue

            if t.text == "mod" and nxt is not None and nxt.kind == "id" and i + 2 < n and toks[i + 2].text in (";", "{"):
                name = nxt.text
                if toks[i + 2].text == ";":
                    self._declare_file_module(module, name, attrs, mask[i])
                    i += 3
                else:
                    child = Module(name, module, module.file, module.child_dir / name, True)
                    module.children[name] = child
                    stack.append((child, depth))
                    i += 2  # the `{` is counted on the next turn
                attrs = []
                continue

            if t.text == "use" and nxt is not None and nxt.text != "<":
                leaves, j = _parse_use_tree(toks, i + 1, [])
                for segs, name in leaves:
                    if name == "*":
                        module.globs.append((module, segs))
                        self.refs.append(Ref(module, segs, "glob", t.line, mask[i]))
                    else:
                        if name is not None:
                            module.imports.setdefault(name, []).append((module, segs))
                        self.refs.append(Ref(module, segs, "use", t.line, mask[i]))
                i = j
                attrs = []
                continue

            if depth == body_depth and nxt is not None:
                if t.text in ITEM_KEYWORDS and nxt.kind == "id":
                    name = nxt.text
                    if t.text in ("const", "static") and name == "mut" and i + 2 < n:
                        name = toks[i + 2].text
                    if name not in ("fn", "unsafe", "async", "extern", "_"):
                        module.items.add(name)
                elif t.text == "macro_rules" and nxt.text == "!" and i + 2 < n:
                    module.items.add(toks[i + 2].text)

            if nxt is not None and nxt.text == "::" and (prev is None or prev.text not in ("::", ".")):
                i = self._path_at(module, toks, i, mask)
                continue
            i += 1
        if depth != 0:
            self.problems.append(f"{self.crate.rel(file_module.file)}: braces do not balance; the file may be misread")

    def _scan_paths(self, module: Module, toks: list[Tok], start: int, end: int, mask: list[bool]) -> None:
        i = start
        while i < end:
            t = toks[i]
            prev = toks[i - 1] if i > 0 else None
            if t.kind == "id" and i + 1 < end and toks[i + 1].text == "::" and (prev is None or prev.text not in ("::", ".")):
                i = self._path_at(module, toks, i, mask)
            else:
                i += 1

    def _path_at(self, module: Module, toks: list[Tok], i: int, mask: list[bool]) -> int:
        """Records the path starting at `i` (`a::b::c`); returns the index after it."""
        segs = [toks[i].text]
        j = i
        while j + 2 < len(toks) and toks[j + 1].text == "::" and toks[j + 2].kind == "id":
            segs.append(toks[j + 2].text)
            j += 2
        self.refs.append(Ref(module, tuple(segs), "path", toks[i].line, mask[i]))
        return j + 1

    def _declare_file_module(self, parent: Module, name: str, attrs: list[list[Tok]], test: bool) -> None:
        path_attr = None
        for attr in attrs:
            if len(attr) >= 3 and attr[0].text == "path" and attr[1].text == "=" and attr[2].kind == "str":
                path_attr = attr[2].text
            if _is_cfg_test(attr):
                test = True
        if path_attr is not None:
            base = parent.file.parent if not parent.inline else parent.child_dir
            candidates = [base / path_attr]
        else:
            candidates = [parent.child_dir / f"{name}.rs", parent.child_dir / name / "mod.rs"]
        file = next((c for c in candidates if c.is_file()), None)
        if file is None:
            self.problems.append(f"{self.crate.rel(parent.file)}: `mod {name};` has no file ({', '.join(self.crate.rel(c) for c in candidates)})")
            return
        child_dir = file.parent if file.name == "mod.rs" else file.parent / file.stem
        child = Module(name, parent, file, child_dir, False)
        parent.children[name] = child
        self._parse_file(child, test)

    # -- resolving paths ------------------------------------------------------------

    def resolve(self, module: Module, segs: tuple[str, ...], seen: frozenset = frozenset()) -> tuple[str, Module | None]:
        """("module", m), ("item", m) for an item of m, or ("extern", None)."""
        if not segs or segs[0] == "::":
            return ("extern", None)
        first, rest = segs[0], segs[1:]
        if first in ("crate", "$crate"):
            return self._walk_path(module.root(), rest, seen)
        if first == "super":
            cur = module.parent
            while rest and rest[0] == "super" and cur is not None:
                cur, rest = cur.parent, rest[1:]
            return ("extern", None) if cur is None else self._walk_path(cur, rest, seen)
        if first == "self":
            return self._walk_path(module, rest, seen)
        found = self._lookup(module, first, seen)
        if found is None or found[0] != "module":
            return found or ("extern", None)
        return self._walk_path(found[1], rest, seen)

    def _walk_path(self, cur: Module, rest: tuple[str, ...], seen: frozenset) -> tuple[str, Module | None]:
        for seg in rest:
            if seg == "self":
                continue
            if seg == "super":
                if cur.parent is None:
                    return ("extern", None)
                cur = cur.parent
                continue
            found = self._lookup(cur, seg, seen)
            if found is None:
                return ("item", cur)  # not seen declared (a macro's item, say): take it as cur's
            if found[0] != "module":
                return found
            cur = found[1]  # type: ignore[assignment]
        return ("module", cur)

    def _lookup(self, cur: Module, name: str, seen: frozenset) -> tuple[str, Module | None] | None:
        """What `name` means inside `cur`, following re-exports; None when not found."""
        if name in cur.children:
            return ("module", cur.children[name])
        if name in cur.items:
            return ("item", cur)
        key = (id(cur), name)
        if key in seen:
            return ("item", cur)
        seen = seen | {key}
        if name in cur.imports:
            results = [self.resolve(base, segs, seen) for base, segs in cur.imports[name]]
            for r in results:
                if r[0] != "extern":
                    return r
            return results[0]
        for base, segs in cur.globs:
            kind, src = self.resolve(base, segs, seen)
            if kind == "module" and src is not None and src is not cur:
                found = self._lookup(src, name, seen)
                if found is not None:
                    return found
        return None

    def edges(self) -> list[tuple[Path, Path, Ref]]:
        out = []
        for ref in self.refs:
            kind, target = self.resolve(ref.module, ref.segments)
            if target is None:
                continue
            if kind == "module" and ref.kind != "glob":
                continue  # naming a module (`use crate::graphql;`) uses none of its items
            if target.file != ref.module.file:
                out.append((ref.module.file, target.file, ref))
        return out


# --------------------------------------------------------------------------------------
# Workspace and crates
# --------------------------------------------------------------------------------------


class WorkspaceError(Exception):
    """The workspace cannot be read."""


class UsageError(Exception):
    """A flag names no crate, or is malformed."""


@dataclass(eq=False)
class Crate:
    dir: Path
    package: str
    short: str
    manifest: dict
    workspace_root: Path

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.dir).as_posix()
        except ValueError:
            return path.as_posix()

    def target_roots(self) -> list[tuple[str, Path]]:
        """Every crate root: Cargo's conventional ones and those the manifest names."""
        roots: list[tuple[str, Path]] = []

        def add(kind: str, p: Path) -> None:
            if p.is_file() and all(p != r for _, r in roots):
                roots.append((kind, p))

        lib = self.manifest.get("lib", {})
        add("lib", self.dir / lib.get("path", "src/lib.rs"))
        add("bin", self.dir / "src/main.rs")
        for kind, section, conv in (
            ("bin", "bin", "src/bin"),
            ("test", "test", "tests"),
            ("bench", "bench", "benches"),
            ("example", "example", "examples"),
        ):
            for entry in self.manifest.get(section, []):
                if "path" in entry:
                    add(kind, self.dir / entry["path"])
            d = self.dir / conv
            if d.is_dir():
                for p in sorted(d.iterdir()):
                    if p.is_file() and p.suffix == ".rs":
                        add(kind, p)
                    elif p.is_dir() and (p / "main.rs").is_file():
                        add(kind, p / "main.rs")
        return roots

    def dependencies(self) -> list[tuple[str, str, dict | str]]:
        """(table, key, spec) for every dependency in every table of the manifest."""
        out = []
        for table in DEP_TABLES:
            for key, spec in self.manifest.get(table, {}).items():
                out.append((table, key, spec))
        for cfg, tables in self.manifest.get("target", {}).items():
            for table in DEP_TABLES:
                for key, spec in tables.get(table, {}).items():
                    out.append((f"target.{cfg}.{table}", key, spec))
        return out


def load_workspace(root: Path) -> list[Crate]:
    try:
        ws = tomllib.loads((root / "Cargo.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise WorkspaceError(f"cannot read {root / 'Cargo.toml'}: {e}") from e
    members = ws.get("workspace", {}).get("members")
    if not members:
        raise WorkspaceError(f"{root / 'Cargo.toml'} lists no [workspace] members")
    crates = []
    for member in members:
        dirs = sorted(root.glob(member)) if any(c in member for c in "*?[") else [root / member]
        for d in dirs:
            manifest_path = d / "Cargo.toml"
            try:
                manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as e:
                raise WorkspaceError(f"cannot read {manifest_path}: {e}") from e
            package = manifest.get("package", {}).get("name")
            if not package:
                raise WorkspaceError(f"{manifest_path} has no [package] name")
            crates.append(Crate(d.resolve(), package, d.name, manifest, root.resolve()))
    return crates


def find_crate(crates: list[Crate], name: str) -> Crate | None:
    for c in crates:
        if name in (c.package, c.short):
            return c
    return None


# --------------------------------------------------------------------------------------
# Cycles
# --------------------------------------------------------------------------------------


def _sccs(graph: dict[Path, set[Path]]) -> list[set[Path]]:
    """Strongly connected components with more than one file (Tarjan, iterative)."""
    index: dict[Path, int] = {}
    low: dict[Path, int] = {}
    on_stack: set[Path] = set()
    stack: list[Path] = []
    out: list[set[Path]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = set()
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.add(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(comp)
    return out


def _shortest_path(graph: dict[Path, set[Path]], src: Path, dst: Path, within: set[Path]) -> list[Path] | None:
    prev: dict[Path, Path | None] = {src: None}
    queue = deque([src])
    while queue:
        v = queue.popleft()
        if v == dst:
            path = []
            cur: Path | None = v
            while cur is not None:
                path.append(cur)
                cur = prev[cur]
            return path[::-1]
        for w in sorted(graph.get(v, ())):
            if w in within and w not in prev:
                prev[w] = v
                queue.append(w)
    return None


def shortest_cycles(graph: dict[Path, set[Path]]) -> list[tuple[Path, ...]]:
    """For each edge on a cycle, the shortest cycle through it; deduplicated, each cycle
    rotated to start at its smallest file."""
    cycles: set[tuple[Path, ...]] = set()
    for comp in _sccs(graph):
        for u in sorted(comp):
            for v in sorted(graph.get(u, ())):
                if v not in comp:
                    continue
                back = _shortest_path(graph, v, u, comp)
                if back is None:  # pragma: no cover - impossible inside an SCC
                    continue
                cycle = [u] + back[:-1]
                k = cycle.index(min(cycle, key=Path.as_posix))
                cycles.add(tuple(cycle[k:] + cycle[:k]))
    return sorted(cycles, key=lambda c: (len(c), [p.as_posix() for p in c]))


@dataclass
class CrateReport:
    crate: Crate
    cycles: list[tuple[str, list[str]]]  # (line, evidence lines)
    notes: list[str]


def module_cycles(crate: Crate) -> CrateReport:
    seen_lines: dict[str, list[str]] = {}
    notes: list[str] = []
    for kind, root in crate.target_roots():
        target = Target(crate, kind, root)
        notes += [f"{crate.package}: {m}" for m in target.problems]
        graph: dict[Path, set[Path]] = {}
        evidence: dict[tuple[Path, Path], list[Ref]] = {}
        for a, b, ref in target.edges():
            graph.setdefault(a, set()).add(b)
            evidence.setdefault((a, b), []).append(ref)
        for cycle in shortest_cycles(graph):
            hops = list(cycle) + [cycle[0]]
            line = f"{crate.package}: " + " -> ".join(crate.rel(p) for p in hops)
            if line in seen_lines:
                continue
            why = []
            for a, b in zip(hops, hops[1:]):
                first_on_line: dict[int, Ref] = {}
                for r in sorted(evidence[(a, b)], key=lambda r: r.line):
                    first_on_line.setdefault(r.line, r)
                refs = list(first_on_line.values())
                shown = ", ".join(f"{r.line} {'::'.join(r.segments)}{' (test)' if r.test else ''}" for r in refs[:3])
                more = f" and {len(refs) - 3} more lines" if len(refs) > 3 else ""
                why.append(f"    {crate.rel(a)} -> {crate.rel(b)}: line {shown}{more}")
            seen_lines[line] = why
    cycles = sorted(seen_lines.items(), key=lambda kv: (kv[0].count("->"), kv[0]))
    return CrateReport(crate, cycles, notes)


# --------------------------------------------------------------------------------------
# Crate layering
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrateEdge:
    src: Crate
    dst: Crate
    table: str


def crate_edges(crates: list[Crate], ws_deps: dict) -> list[CrateEdge]:
    by_package = {c.package: c for c in crates}
    by_dir = {c.dir: c for c in crates}
    out = []
    for c in crates:
        for table, key, spec in c.dependencies():
            package, path = key, None
            if isinstance(spec, dict):
                if spec.get("workspace"):
                    ws_spec = ws_deps.get(key, {})
                    if isinstance(ws_spec, dict):
                        package = ws_spec.get("package", package)
                        if "path" in ws_spec:
                            path = (c.workspace_root / ws_spec["path"]).resolve()
                package = spec.get("package", package)
                if "path" in spec:
                    path = (c.dir / spec["path"]).resolve()
            dst = by_dir.get(path) if path is not None else None
            dst = dst or by_package.get(package)
            if dst is not None and dst is not c:
                out.append(CrateEdge(c, dst, table))
    return out


def allowed_below(short: str) -> list[str]:
    k = LAYERS.index(short)
    return LAYERS[:k] + sorted(EXTRA_ALLOWED.get(short, ()))


def _rank(short: str) -> int:
    return LAYERS.index(short) if short in LAYERS else len(LAYERS)


def _tables_to(edges: list[CrateEdge], users: list[Crate], dst: Crate) -> list[tuple[Crate, str]]:
    """Each user of `dst` with the dependency table(s) naming it."""
    return [(u, ", ".join(sorted({e.table for e in edges if e.src is u and e.dst is dst}))) for u in users]


def layer_ok(src: str, dst: str) -> bool:
    return dst in allowed_below(src)


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="module_cycles.py",
        description="File-level import cycles in each crate, and crate layering, for the Accord workspace.",
    )
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent, help="workspace root (default: this script's repository)")
    parser.add_argument("--crate", action="append", default=[], metavar="NAME", help="check only this crate (package name or directory name); repeatable")
    parser.add_argument(
        "--allow-crate-edge",
        action="append",
        default=[],
        metavar="FROM:TO",
        help="accept a known layer violation, e.g. testkit:gateway (directory or package names); repeatable",
    )
    parser.add_argument(
        "--allow-cycles-in", action="append", default=[], metavar="NAME", help="report this crate's module cycles without failing; repeatable"
    )
    parser.add_argument("--explain", action="store_true", help="under each cycle, the lines that make each hop")
    args = parser.parse_args(argv)

    try:
        crates = load_workspace(args.root)
        ws_deps = tomllib.loads((args.root / "Cargo.toml").read_text(encoding="utf-8")).get("workspace", {}).get("dependencies", {})
    except WorkspaceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    def named(name: str) -> Crate:
        c = find_crate(crates, name)
        if c is None:
            known = ", ".join(f"{c.package} ({c.short})" for c in crates)
            raise UsageError(f"no workspace crate named {name!r}; crates: {known}")
        return c

    try:
        selected = [named(n) for n in args.crate] or crates
        cycle_allowed = {named(n).package for n in args.allow_cycles_in}
        allowed_edges = set()
        for spec in args.allow_crate_edge:
            a, sep, b = spec.partition(":")
            if not sep:
                raise UsageError(f"--allow-crate-edge wants FROM:TO, got {spec!r}")
            allowed_edges.add((named(a).package, named(b).package))
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    failed = False

    # Module cycles.
    print("== module cycles (file level)", file=out)
    total = 0
    for crate in selected:
        report = module_cycles(crate)
        for note in report.notes:
            print(f"note: {note}", file=out)
        allowed = crate.package in cycle_allowed
        for line, why in report.cycles:
            total += 1
            print(line + ("    (allowed by --allow-cycles-in)" if allowed else ""), file=out)
            if args.explain:
                for w in why:
                    print(w, file=out)
        if report.cycles and not allowed:
            failed = True
    if total == 0:
        print("none", file=out)

    # Crate layering.
    print("", file=out)
    print("== crate layering (lowest first: " + ", ".join(LAYERS) + ")", file=out)
    names = {c.package for c in selected}
    edges = crate_edges(crates, ws_deps)
    violations = 0
    for c in selected:
        if c.short not in LAYERS:
            print(f"{c.package}: not in LAYERS of .ci/module_cycles.py; give it its place in the README's layout and there", file=out)
            failed = True
    used_allowances = set()
    for e in edges:
        if e.src.package not in names or e.src.short not in LAYERS or e.dst.short not in LAYERS:
            continue
        if layer_ok(e.src.short, e.dst.short):
            continue
        violations += 1
        key = (e.src.package, e.dst.package)
        is_allowed = key in allowed_edges
        used_allowances.add(key)
        may = ", ".join(allowed_below(e.src.short)) or "no workspace crate"
        suffix = f"    (allowed by --allow-crate-edge {e.src.short}:{e.dst.short})" if is_allowed else ""
        print(f"{e.src.package} -> {e.dst.package} [{e.table}]: {e.src.short} may depend on {may}{suffix}", file=out)
        users = sorted({u.src for u in edges if u.dst is e.src}, key=lambda c: (_rank(c.short), c.package))
        if users:
            reached = ", ".join(f"{u.package} [{u_table}]" for u, u_table in _tables_to(edges, users, e.src))
            print(f"    so {e.dst.package} is also reached by what uses {e.src.package}: {reached}", file=out)
        if not is_allowed:
            failed = True
    if violations == 0:
        print("none", file=out)
    for key in sorted(k for k in allowed_edges - used_allowances if k[0] in names):
        print(f"note: --allow-crate-edge {key[0]}:{key[1]} is no longer needed", file=out)

    print("", file=out)
    print("FAILED" if failed else "OK", file=out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
