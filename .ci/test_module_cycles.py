"""Self-test of module_cycles.py on small synthetic workspaces written to a temporary dir.

Run from the repository root with either of:
    python3 -m unittest discover -s .ci -p 'test_*.py'
    python3 .ci/test_module_cycles.py
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import module_cycles as mc  # noqa: E402


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def package(name: str, deps: str = "", dev_deps: str = "") -> str:
    return f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2024"\n\n[dependencies]\n{deps}\n[dev-dependencies]\n{dev_deps}\n'


class Workspace:
    """A throw-away workspace; `crate(...)` adds a member with its sources."""

    def __init__(self, tmp: Path):
        self.root = tmp
        self.members: list[str] = []

    def crate(self, member: str, files: dict[str, str], deps: str = "", dev_deps: str = "") -> None:
        self.members.append(member)
        name = "demo-" + member.rsplit("/", 1)[-1]
        write(self.root / member, {"Cargo.toml": package(name, deps, dev_deps), **files})
        members = ", ".join(f'"{m}"' for m in self.members)
        write(self.root, {"Cargo.toml": f"[workspace]\nresolver = \"3\"\nmembers = [{members}]\n"})

    def run(self, *args: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err):
            code = mc.main(["--root", str(self.root), *args], out=out)
        return code, out.getvalue() + err.getvalue()

    def edges(self, member: str, root: str = "src/lib.rs") -> set[tuple[str, str]]:
        crate = next(c for c in mc.load_workspace(self.root) if c.dir == (self.root / member).resolve())
        target = mc.Target(crate, "lib", crate.dir / root)
        self.problems = target.problems
        return {(crate.rel(a), crate.rel(b)) for a, b, _ in target.edges()}


class ModuleCycles(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.ws = Workspace(Path(self._tmp.name))

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def assertCycles(self, output: str, expected: list[str]) -> None:
        section = output.split("== crate layering")[0]
        found = [line for line in section.splitlines() if "->" in line and not line.startswith(" ")]
        self.assertEqual(found, expected, output)

    def test_a_cycle_through_use_crate_paths(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod a;\nmod b;\nmod c;\n",
                "src/a.rs": "use crate::b::B;\npub struct A(B);\n",
                "src/b.rs": "use crate::{a::A, c::C};\npub struct B;\nfn f(_: A, _: C) {}\n",
                "src/c.rs": "pub struct C;\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 1, out)
        self.assertCycles(out, ["demo-kernel: src/a.rs -> src/b.rs -> src/a.rs"])

    def test_a_cycle_through_super_paths(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod outer;\n",
                "src/outer/mod.rs": "mod x;\nmod y;\n",
                "src/outer/x.rs": "pub fn fx() {\n    super::y::fy();\n}\n",
                "src/outer/y.rs": "use super::x::fx;\npub fn fy() {}\npub fn g() { fx() }\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 1, out)
        self.assertCycles(out, ["demo-kernel: src/outer/x.rs -> src/outer/y.rs -> src/outer/x.rs"])

    def test_a_parent_that_uses_the_child_that_uses_it_is_a_cycle(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod a;\n",
                "src/a.rs": "mod child;\npub const LIMIT: usize = 3;\npub fn p() -> usize { child::c() }\n",
                "src/a/child.rs": "pub fn c() -> usize { super::LIMIT }\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 1, out)
        self.assertCycles(out, ["demo-kernel: src/a.rs -> src/a/child.rs -> src/a.rs"])

    def test_a_fully_qualified_call_is_an_edge_to_the_deepest_module(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "pub mod m;\npub mod top;\n",
                "src/m/mod.rs": "pub mod n;\npub struct NotUsed;\n",
                "src/m/n.rs": "pub struct T;\nimpl T {\n    pub fn new() -> Self { crate::top::made(); T }\n}\n",
                "src/top.rs": "pub fn made() {}\npub fn build() {\n    let _t = crate::m::n::T::new();\n}\n",
            },
        )
        self.assertEqual(self.ws.edges("shared/kernel"), {("src/m/n.rs", "src/top.rs"), ("src/top.rs", "src/m/n.rs")})
        code, out = self.ws.run()
        self.assertEqual(code, 1, out)
        self.assertCycles(out, ["demo-kernel: src/m/n.rs -> src/top.rs -> src/m/n.rs"])

    def test_mod_declarations_alone_are_not_edges(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "pub mod a;\npub mod b;\n",
                "src/a.rs": "pub mod child;\npub fn helper() {}\n",
                "src/a/child.rs": "use super::helper;\npub fn c() { helper(); crate::b::g(); }\n",
                "src/b.rs": "pub mod inner;\npub fn g() {}\n",
                "src/b/inner.rs": "pub fn i() { super::g() }\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 0, out)
        self.assertIn("== module cycles (file level)\nnone", out)
        self.assertEqual(
            self.ws.edges("shared/kernel"),
            {("src/a/child.rs", "src/a.rs"), ("src/a/child.rs", "src/b.rs"), ("src/b/inner.rs", "src/b.rs")},
        )

    def test_comments_and_string_literals_are_not_read_as_code(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod a;\nmod b;\n",
                "src/a.rs": r'''
                    //! See [`crate::b::g`].
                    // crate::b::g();
                    /* crate::b::g(); /* nested */ crate::b::g(); */
                    /// Calls nothing: [`crate::b::g`].
                    pub fn f<'a>(x: &'a str) -> &'a str {
                        let _s = "crate::b::g()";
                        let _r = r#"crate::b::g() " still a string"#;
                        let _c = '"';
                        let _q = '\'';
                        let _b = b"use crate::b::*;";
                        x
                    }
                ''',
                "src/b.rs": "pub fn g() { crate::a::f(\"\"); }\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 0, out)
        self.assertEqual(self.ws.edges("shared/kernel"), {("src/b.rs", "src/a.rs")})
        self.assertEqual(self.ws.problems, [])

    def test_code_after_char_literals_and_lifetimes_is_still_read(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod a;\nmod b;\n",
                "src/a.rs": "pub fn f<'a>(x: &'a str) -> char { let q = '\"'; crate::b::g(); q }\n",
                "src/b.rs": "pub fn g() { let _ = crate::a::f(\"'\"); }\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 1, out)
        self.assertCycles(out, ["demo-kernel: src/a.rs -> src/b.rs -> src/a.rs"])

    def test_a_unit_test_block_referring_to_its_own_file_is_ignored(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod a;\nmod b;\n",
                "src/a.rs": """
                    pub fn f() {}

                    #[cfg(test)]
                    mod tests {
                        use super::*;
                        use crate::a::f as same;

                        #[test]
                        fn works() {
                            f();
                            same();
                            super::f();
                            crate::a::f();
                        }
                    }
                """,
                "src/b.rs": "use crate::a::f;\npub fn g() { f() }\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 0, out)
        self.assertEqual(self.ws.edges("shared/kernel"), {("src/b.rs", "src/a.rs")})

    def test_a_unit_test_block_using_another_file_is_part_of_its_file(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod a;\nmod b;\n",
                "src/a.rs": "pub fn f() {}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { crate::b::g(); }\n}\n",
                "src/b.rs": "pub fn g() { crate::a::f() }\n",
            },
        )
        code, out = self.ws.run("--explain")
        self.assertEqual(code, 1, out)
        self.assertIn("demo-kernel: src/a.rs -> src/b.rs -> src/a.rs", out)
        self.assertIn("line 5 crate::b::g (test)", out)

    def test_a_file_backed_test_module_is_not_a_cycle(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod domain;\n",
                "src/domain.rs": 'pub fn f() {}\n\n#[cfg(test)]\n#[path = "domain_tests.rs"]\nmod tests;\n',
                "src/domain_tests.rs": "use super::*;\n#[test]\nfn t() { f() }\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 0, out)
        self.assertEqual(self.ws.edges("shared/kernel"), {("src/domain_tests.rs", "src/domain.rs")})

    def test_names_re_exported_by_lib_rs_lead_to_their_definition(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod model;\nmod risk;\npub use model::Scope;\npub use risk::*;\n",
                "src/risk.rs": "pub enum Risk { Low }\n",
                "src/model.rs": "use crate::Risk;\npub struct Scope(Risk);\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 0, out)
        self.assertEqual(
            self.ws.edges("shared/kernel"),
            {("src/lib.rs", "src/model.rs"), ("src/lib.rs", "src/risk.rs"), ("src/model.rs", "src/risk.rs")},
        )

    def test_an_item_defined_in_lib_rs_and_re_exports_make_a_cycle(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod a;\npub use a::A;\npub const MAX: usize = 1;\n",
                "src/a.rs": "pub struct A([u8; crate::MAX]);\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 1, out)
        self.assertCycles(out, ["demo-kernel: src/a.rs -> src/lib.rs -> src/a.rs"])

    def test_importing_a_module_is_not_an_edge_but_paths_through_it_are(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod api;\nmod app;\n",
                "src/api/mod.rs": "pub mod dto;\nuse crate::app::State;\npub fn serve(_: State) {}\n",
                "src/api/dto.rs": "pub struct Dto;\n",
                "src/app.rs": "use crate::api;\npub struct State(api::dto::Dto);\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 0, out)
        self.assertEqual(self.ws.edges("shared/kernel"), {("src/api/mod.rs", "src/app.rs"), ("src/app.rs", "src/api/dto.rs")})

    def test_glob_imports_are_edges(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod a;\nmod b;\n",
                "src/a.rs": "use crate::b::*;\npub fn f() {}\n",
                "src/b.rs": "pub fn g() { crate::a::f() }\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 1, out)
        self.assertCycles(out, ["demo-kernel: src/a.rs -> src/b.rs -> src/a.rs"])

    def test_each_integration_test_directory_is_its_own_tree(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "pub fn lib() {}\n",
                "tests/it/main.rs": "mod one;\nmod two;\n",
                "tests/it/one.rs": "pub fn o() { crate::two::t() }\n",
                "tests/it/two.rs": "use crate::one::o;\npub fn t() {}\nfn u() { o() }\n",
                "tests/plain.rs": "mod common;\nfn x() { common::c() }\n",
                "tests/common/mod.rs": "pub fn c() {}\n",
                "benches/bench.rs": "fn main() {}\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 1, out)
        self.assertCycles(out, ["demo-kernel: tests/it/one.rs -> tests/it/two.rs -> tests/it/one.rs"])

    def test_every_cyclic_edge_is_shown_in_a_shortest_cycle(self) -> None:
        self.ws.crate(
            "shared/kernel",
            {
                "src/lib.rs": "mod a;\nmod b;\nmod c;\n",
                "src/a.rs": "pub fn a() { crate::b::b(); crate::c::c(); }\n",
                "src/b.rs": "pub fn b() { crate::a::a(); crate::c::c(); }\n",
                "src/c.rs": "pub fn c() { crate::a::a(); }\n",
            },
        )
        code, out = self.ws.run()
        self.assertEqual(code, 1, out)
        self.assertCycles(
            out,
            [
                "demo-kernel: src/a.rs -> src/b.rs -> src/a.rs",
                "demo-kernel: src/a.rs -> src/c.rs -> src/a.rs",
                "demo-kernel: src/a.rs -> src/b.rs -> src/c.rs -> src/a.rs",
            ],
        )

    def test_allowed_cycles_and_one_crate_only(self) -> None:
        cyclic = {"src/lib.rs": "mod a;\nmod b;\n", "src/a.rs": "pub fn a() { crate::b::b() }\n", "src/b.rs": "pub fn b() { crate::a::a() }\n"}
        self.ws.crate("shared/kernel", cyclic)
        self.ws.crate("shared/scopes", {"src/lib.rs": "pub fn s() {}\n"})
        self.assertEqual(self.ws.run("--crate", "demo-scopes")[0], 0)
        self.assertEqual(self.ws.run("--crate", "scopes")[0], 0)
        code, out = self.ws.run("--allow-cycles-in", "kernel")
        self.assertEqual(code, 0, out)
        self.assertIn("(allowed by --allow-cycles-in)", out)
        self.assertEqual(self.ws.run("--crate", "nope")[0], 2)


class CrateLayering(unittest.TestCase):
    def setUp(self) -> None:
        self._tmp = tempfile.TemporaryDirectory()
        self.ws = Workspace(Path(self._tmp.name))
        lib = {"src/lib.rs": "pub fn f() {}\n"}
        self.ws.crate("shared/kernel", lib)
        self.ws.crate("shared/testkit", lib, deps='demo-kernel = { path = "../kernel" }\ndemo-gateway = { path = "../../services/gateway" }\n')
        self.ws.crate("services/registry", lib, deps='demo-kernel = { path = "../../shared/kernel" }\n', dev_deps='demo-testkit = { path = "../../shared/testkit" }\n')
        self.ws.crate("services/gateway", lib, deps='demo-registry = { path = "../registry" }\n', dev_deps='demo-testkit = { path = "../../shared/testkit" }\n')

    def tearDown(self) -> None:
        self._tmp.cleanup()

    def test_a_dependency_on_a_crate_above_is_reported_in_its_own_section(self) -> None:
        code, out = self.ws.run()
        self.assertEqual(code, 1, out)
        cycles, layering = out.split("== crate layering")
        self.assertIn("none", cycles)
        self.assertIn("demo-testkit -> demo-gateway [dependencies]: testkit may depend on kernel, scopes, db, migrations", layering)
        self.assertIn("reached by what uses demo-testkit: demo-registry [dev-dependencies], demo-gateway [dev-dependencies]", layering)

    def test_a_known_violation_can_be_allowed(self) -> None:
        code, out = self.ws.run("--allow-crate-edge", "testkit:gateway")
        self.assertEqual(code, 0, out)
        self.assertIn("(allowed by --allow-crate-edge testkit:gateway)", out)
        self.assertTrue(out.rstrip().endswith("OK"), out)

    def test_a_dev_dependency_upwards_is_a_violation_too(self) -> None:
        self.ws.crate("services/approvals", {"src/lib.rs": ""}, dev_deps='demo-gateway = { path = "../gateway" }\n')
        code, out = self.ws.run("--allow-crate-edge", "testkit:gateway")
        self.assertEqual(code, 1, out)
        self.assertIn("demo-approvals -> demo-gateway [dev-dependencies]", out)

    def test_workspace_dependencies_are_followed(self) -> None:
        write(
            self.ws.root,
            {
                "Cargo.toml": '[workspace]\nmembers = ["shared/kernel", "shared/testkit", "services/registry", "services/gateway"]\n\n'
                '[workspace.dependencies]\ndemo-registry = { path = "services/registry" }\n',
                "shared/kernel/Cargo.toml": package("demo-kernel", dev_deps="demo-registry.workspace = true\n"),
            },
        )
        code, out = self.ws.run("--crate", "kernel")
        self.assertEqual(code, 1, out)
        self.assertIn("demo-kernel -> demo-registry [dev-dependencies]: kernel may depend on no workspace crate", out)

    def test_an_unused_allowance_is_noted(self) -> None:
        code, out = self.ws.run("--allow-crate-edge", "testkit:gateway", "--allow-crate-edge", "registry:gateway")
        self.assertEqual(code, 0, out)
        self.assertIn("note: --allow-crate-edge demo-registry:demo-gateway is no longer needed", out)


class Lexer(unittest.TestCase):
    def test_tokens(self) -> None:
        toks = mc.lex("let r#type = br##\"a\"#b\"## ; 'x' 'life /* a /* b */ c */ ::")
        self.assertEqual([(t.kind, t.text) for t in toks], [
            ("id", "let"), ("id", "type"), ("p", "="), ("str", 'a"#b'), ("p", ";"), ("lit", "'x'"), ("lit", "'life"), ("p", "::"),
        ])

    def test_lines_are_counted_through_comments_and_strings(self) -> None:
        toks = mc.lex('/* one\ntwo */ "three\nfour"\nfive')
        self.assertEqual([(t.text, t.line) for t in toks], [("three\nfour", 2), ("five", 4)])


if __name__ == "__main__":
    unittest.main()
