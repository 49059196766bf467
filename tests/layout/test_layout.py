#!/usr/bin/env python3
"""The house rules the build enforces (CTest `layout`), so that they hold without a reviewer:

- the dependency arrows: socketlab/http has no I/O (no Asio, even through another header),
  socketlab/net no HTTP, a site no sockets, server/ and client/ never each other...;
- no code file over 300 lines outside tests/ (and lessons' READMEs, which are prose);
- no C++ function over 60 lines, from its signature to its closing brace.

Each rule is checked on the real tree, and once on a small made-up tree that breaks it, so a
checker that has stopped seeing anything fails too.

    tests/layout/test_layout.py --source .
"""
import argparse
import re
import sys
import tempfile
import unittest
from pathlib import Path

MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 60
CODE_SUFFIXES = {".cpp", ".hpp", ".py", ".sh", ".cmake"}
CODE_NAMES = {"CMakeLists.txt", "run", "debian-root", "try-package"}

# (folder, includes it must never reach, directly or through the kit's own headers, and why).
# An entry is a prefix of a kit path ("server/") or of a system header ("<asio"). ALLOWED names
# the few headers a folder may reach though a prefix forbids them, each with its reason.
ARROWS = [
    ("socketlab/http/", ["<asio", "<CLI/", "socketlab/net/", "socketlab/cli/", "server/", "client/"],
     "the HTTP layer does no I/O: bytes in, messages out"),
    ("socketlab/net/", ["<CLI/", "socketlab/http/", "socketlab/cli/", "server/", "client/"],
     "the socket layer knows no HTTP and no command line"),
    ("socketlab/cli/", ["<asio", "socketlab/http/", "socketlab/net/", "server/", "client/"],
     "the command-line layer is CLI11 only"),
    ("server/sites/", ["<asio", "socketlab/net/", "server/models/", "server/echo/", "server/http_",
                       "client/"],
     "a site is pure: a request in, a response out, no sockets"),
    ("server/models/", ["server/echo/", "client/"], "a serving model serves HTTP sessions, not echoes"),
    ("server/echo/", ["server/models/", "server/sites/", "server/http_", "socketlab/http/", "client/"],
     "the echo servers speak no HTTP"),
    ("server/", ["client/"], "the server and the client share only socketlab/"),
    ("client/", ["server/"], "the server and the client share only socketlab/"),
    ("lessons/", ["server/", "client/"], "a lesson's program stands on its own (and on socketlab/)"),
]
ALLOWED = {
    # A static site opens the file it answers with: a file, read through the one platform file
    # pair, never a socket (the headers reach no Asio; readable_file holds a file_handle).
    "server/sites/": ["socketlab/net/readable_file.hpp", "socketlab/net/file_handle.hpp",
                      # and keeps what each thread reuses (no I/O: a template over thread_local)
                      "socketlab/net/per_thread.hpp"],
}

# A thread_local whose type has a destructor runs it on freed memory with MinGW-w64's GCC (GCC
# bug 80816): such a thing goes through net::per_thread(). These types have none.
PER_THREAD_HOME = "socketlab/net/per_thread.hpp"
THREAD_LOCAL = re.compile(r"\bthread_local\s+(?:static\s+)?(.+?)\s+\w+\s*(?:[;={]|$)", re.M)
TRIVIAL_TYPE = re.compile(
    r"(?:const\s+)?(?:bool|char|int|unsigned|long|double|std::size_t|std::u?int\d+_t|sys_seconds"
    r"|std::chrono::[\w:]+::time_point|std::array<(?:char|unsigned char|std::byte|bool),[^>]+>|[\w:]+\s*\*)")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def tracked_files(root):
    """The files of the tree, without build folders and hidden ones."""
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") or part.startswith("build") for part in relative.parts[:-1]):
            continue
        if path.is_file():
            yield relative


def includes_of(root, relative):
    """The includes of one file: kit files as paths from the root, system headers as '<name'."""
    found = []
    for kind, name in INCLUDE.findall((root / relative).read_text(errors="replace")):
        if kind == "<":
            found.append("<" + name + ">")
            continue
        for base in (root, root / relative.parent, root / "tests"):
            candidate = base / name
            if candidate.is_file():
                found.append(candidate.resolve().relative_to(root.resolve()).as_posix())
                break
    return found


def reached(root, start, cache):
    """Everything @p start includes, through the kit's own headers too."""
    if start in cache:
        return cache[start]
    cache[start] = set()  # a cycle ends here
    seen = set()
    for name in includes_of(root, Path(start)):
        seen.add(name)
        if not name.startswith("<"):
            seen |= reached(root, name, cache)
    cache[start] = seen
    return seen


def arrow_violations(root):
    """Lines 'file reaches include: why' for every broken arrow."""
    cache = {}
    problems = []
    for relative in tracked_files(root):
        if relative.suffix not in (".cpp", ".hpp"):
            continue
        path = relative.as_posix()
        for folder, forbidden, why in ARROWS:
            if not path.startswith(folder):
                continue
            broken = [name for name in sorted(reached(root, path, cache))
                      if any(name.startswith(f) for f in forbidden) and not name.startswith(folder)
                      and name not in ALLOWED.get(folder, [])]
            problems += [f"{path} reaches {name}: {why}" for name in broken]
    return problems


def is_code(relative):
    return relative.suffix in CODE_SUFFIXES or relative.name in CODE_NAMES


def long_files(root):
    """Lines 'file: N lines' for code files over MAX_FILE_LINES outside tests/."""
    problems = []
    for relative in tracked_files(root):
        if relative.parts[0] == "tests" or not is_code(relative):
            continue
        count = len((root / relative).read_text(errors="replace").splitlines())
        if count > MAX_FILE_LINES:
            problems.append(f"{relative.as_posix()}: {count} lines (at most {MAX_FILE_LINES}: split it where it has a seam)")
    return problems


def strip_comments_and_strings(text):
    """@p text with comments, string and character literals blanked, lines kept."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("\n" * text.count("\n", i, end))
            i = end
        elif text.startswith('R"', i):
            open_paren = text.find("(", i)
            delimiter = ")" + text[i + 2:open_paren] + '"'
            end = text.find(delimiter, open_paren)
            end = n if end < 0 else end + len(delimiter)
            out.append('""' + "\n" * text.count("\n", i, end))
            i = end
        elif c in "\"'" and not (c == "'" and i > 0 and text[i - 1].isalnum()):  # 1'000 is a number
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


SCOPE_HEAD = re.compile(r"\b(namespace|class|struct|union|enum)\b[^()]*$")
CONTROL = re.compile(r"\b(if|for|while|switch|catch|do|else|try)\b\s*(\(|$)")


def long_functions(text):
    """(name, first line, line count) of every function body longer than MAX_FUNCTION_LINES."""
    code = strip_comments_and_strings(text)
    found = []
    stack = []  # per open brace: ("scope" | "function" | "other", start line, name)
    head_start = 0  # where the text since the last ; { or } begins
    line = 1
    for i, c in enumerate(code):
        if c == "\n":
            line += 1
        elif c in ";":
            head_start = i + 1
        elif c == "{":
            head = code[head_start:i]
            in_function = any(kind == "function" for kind, _, _ in stack)
            if in_function:
                kind = "other"
            elif SCOPE_HEAD.search(head) or head.strip().startswith("extern"):
                kind = "scope"
            elif ")" in head and not CONTROL.search(head.strip()) and not head.rstrip().endswith("="):
                kind = "function"
            else:
                kind = "other"
            stripped = head.lstrip()  # the signature's first line: where the function begins
            first = line - stripped.count("\n")
            name = re.findall(r"([~\w:]+)\s*\(", stripped)
            stack.append((kind, first, name[0] if name else "?"))
            head_start = i + 1
        elif c == "}":
            if stack:
                kind, first, name = stack.pop()
                if kind == "function" and line - first + 1 > MAX_FUNCTION_LINES:
                    found.append((name, first, line - first + 1))
            head_start = i + 1
    return found


def long_function_lines(root):
    problems = []
    for relative in tracked_files(root):
        if relative.parts[0] == "tests" or relative.suffix not in (".cpp", ".hpp"):
            continue
        for name, first, count in long_functions((root / relative).read_text(errors="replace")):
            problems.append(f"{relative.as_posix()}:{first}: {name} is {count} lines "
                            f"(at most {MAX_FUNCTION_LINES}: give its steps functions of their own)")
    return problems


def thread_locals_with_destructors(root):
    """Lines 'file:line: type' for every thread_local of a type that may have a destructor."""
    problems = []
    for relative in tracked_files(root):
        if relative.suffix not in (".cpp", ".hpp") or relative.as_posix() == PER_THREAD_HOME:
            continue
        code = strip_comments_and_strings((root / relative).read_text(errors="replace"))
        for match in THREAD_LOCAL.finditer(code):
            kind = match.group(1).strip()
            if not TRIVIAL_TYPE.fullmatch(kind):
                line = code.count("\n", 0, match.start()) + 1
                problems.append(f"{relative.as_posix()}:{line}: thread_local {kind} may have a "
                                f"destructor: use net::per_thread<{kind}>() ({PER_THREAD_HOME})")
    return problems


class TheTree(unittest.TestCase):
    """The rules, on the kit itself."""

    def test_the_arrows_hold(self):
        self.assertEqual(arrow_violations(ROOT), [])

    def test_no_long_files(self):
        self.assertEqual(long_files(ROOT), [])

    def test_no_long_functions(self):
        self.assertEqual(long_function_lines(ROOT), [])

    def test_no_thread_local_with_a_destructor(self):
        self.assertEqual(thread_locals_with_destructors(ROOT), [])


class TheChecker(unittest.TestCase):
    """The checker finds what it is there to find (a made-up tree that breaks each rule)."""

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.root = Path(self.folder.name)

    def tearDown(self):
        self.folder.cleanup()

    def write(self, name, text):
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def test_an_arrow_broken_through_another_header(self):
        self.write("socketlab/http/a.hpp", '#include "socketlab/http/b.hpp"\n')
        self.write("socketlab/http/b.hpp", '#include "socketlab/net/c.hpp"\n')
        self.write("socketlab/net/c.hpp", "#include <asio/ip/tcp.hpp>\n")
        self.write("client/x.cpp", '#include "server/y.hpp"\n')
        self.write("server/y.hpp", "")
        found = arrow_violations(self.root)
        self.assertIn("socketlab/http/a.hpp reaches <asio/ip/tcp.hpp>: "
                      "the HTTP layer does no I/O: bytes in, messages out", found)
        self.assertTrue(any(f.startswith("client/x.cpp reaches server/y.hpp") for f in found), found)
        self.assertFalse(any(f.startswith("socketlab/net/c.hpp") for f in found), found)

    def test_an_allowed_header_is_no_door_to_what_it_forbids(self):
        self.write("server/sites/s.cpp", '#include "socketlab/net/readable_file.hpp"\n')
        self.write("socketlab/net/readable_file.hpp", "#include <asio/ip/tcp.hpp>\n")
        found = arrow_violations(self.root)
        self.assertFalse(any(f.startswith("server/sites/s.cpp reaches socketlab/net/") for f in found), found)
        self.assertTrue(any(f.startswith("server/sites/s.cpp reaches <asio/ip/tcp.hpp>") for f in found), found)

    def test_a_long_file(self):
        self.write("server/long.cpp", "int x;\n" * (MAX_FILE_LINES + 1))
        self.write("server/fine.cpp", "int x;\n" * MAX_FILE_LINES)
        self.write("tests/long_test.cpp", "int x;\n" * (MAX_FILE_LINES + 1))
        self.assertEqual(long_files(self.root), [f"server/long.cpp: {MAX_FILE_LINES + 1} lines "
                                                 f"(at most {MAX_FILE_LINES}: split it where it has a seam)"])

    def test_a_long_function(self):
        body = "  x();\n" * (MAX_FUNCTION_LINES - 2)
        text = ("namespace n {\nstruct s {\n  int f() const {\n" + body + "}\n};\n"  # 60 lines: fine
                "void g(int a)\n    noexcept {\n" + body + "  if (a) {\n  }\n  auto l = [] { return '}'; };\n}\n"
                "}\n")
        found = long_functions(text)
        self.assertEqual([(name, count) for name, _, count in found], [("g", MAX_FUNCTION_LINES + 4)])

    def test_a_thread_local_with_a_destructor(self):
        self.write("server/t.cpp", "void f() {\n  thread_local std::array<char, 64> fine;\n"
                                   "  thread_local bool also_fine = false;\n  thread_local int* p = nullptr;\n"
                                   "  // thread_local std::string in_a_comment;\n"
                                   "  thread_local std::vector<int> kept;\n  static thread_local std::string s{};\n}\n")
        self.write(PER_THREAD_HOME, "thread_local T object{};\n")
        found = thread_locals_with_destructors(self.root)
        self.assertEqual([f.split(" may")[0] for f in found],
                         ["server/t.cpp:6: thread_local std::vector<int>", "server/t.cpp:7: thread_local std::string"])


def main():
    global ROOT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="the kit's source folder")
    args, rest = parser.parse_known_args()
    ROOT = Path(args.source).resolve()
    unittest.main(argv=[sys.argv[0], "-v"] + rest)


if __name__ == "__main__":
    main()
