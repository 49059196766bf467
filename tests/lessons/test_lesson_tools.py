#!/usr/bin/env python3
"""Tests of the lessons' own tools: the runner that checks a lesson (run_lesson.py) and the filter
that makes a Doxygen page of it (docs/lesson_filter.py). A lesson test that passes means little
if the runner could not fail; these make it fail on purpose.

Usage: test_lesson_tools.py   (CTest: lessons.tools)
"""

import contextlib
import io
import os
import sys
import tempfile
import textwrap
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "docs"))

import diagrams  # noqa: E402
import lesson_filter  # noqa: E402
import run_lesson  # noqa: E402

SOURCE = textwrap.dedent("""\
    int main() {
      //! [hello]
      say("hello");  // print("hello")
      if (x) {
        y();
      }
      //! [hello]
    }
    """)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Matching(unittest.TestCase):
    def test_lines_and_wildcards(self):
        self.assertTrue(run_lesson.matches(["a", "b"], ["a", "b"]))
        self.assertFalse(run_lesson.matches(["a", "b"], ["a", "c"]))
        self.assertFalse(run_lesson.matches(["a"], ["a", "extra"]))
        self.assertTrue(run_lesson.matches(["a", "...", "z"], ["a", "b", "c", "z"]))
        self.assertTrue(run_lesson.matches(["a", "...", "z"], ["a", "z"]))
        self.assertTrue(run_lesson.matches(["took ... ms"], ["took 12.5 ms"]))
        self.assertFalse(run_lesson.matches(["took ... ms"], ["took 12.5 s"]))
        self.assertTrue(run_lesson.matches(["x  "], ["x"]))  # trailing spaces do not count

    def test_ports_keep_their_digits(self):
        mapping = run_lesson.free_ports([8888, 12345])
        self.assertEqual(len(str(mapping[8888])), 4)
        self.assertEqual(len(str(mapping[12345])), 5)
        with self.assertRaises(SystemExit):  # no free port of 2 digits to swap in: said, not crashed
            run_lesson.free_ports([80])
        self.assertEqual(run_lesson.substitute("127.0.0.1:8888 18888", {8888: 9999}), "127.0.0.1:9999 18888")


class Snippets(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.readme = os.path.join(self.dir.name, "README.md")
        write(os.path.join(self.dir.name, "main.cpp"), SOURCE)

    def tearDown(self):
        self.dir.cleanup()

    def check(self, body):
        return run_lesson.check_snippets(self.readme, body)

    def test_the_region_without_its_indentation_passes(self):
        body = '<!-- snippet: main.cpp hello -->\n```cpp\nsay("hello");  // print("hello")\nif (x) {\n  y();\n}\n```\n'
        self.assertEqual(self.check(body), [])

    def test_a_changed_line_fails(self):
        body = '<!-- snippet: main.cpp hello -->\n```cpp\nsay("bye");  // print("hello")\nif (x) {\n  y();\n}\n```\n'
        self.assertEqual(len(self.check(body)), 1)
        self.assertIn("differs from its source", self.check(body)[0][1])

    def test_a_block_without_its_marker_fails(self):
        problems = self.check('```cpp\nsay("hello");\n```\n')
        self.assertEqual(len(problems), 1)
        self.assertIn("must be a snippet", problems[0][1])

    def test_a_missing_region_or_file_fails(self):
        self.assertIn("has 0 lines", self.check('<!-- snippet: main.cpp nope -->\n```cpp\n```\n')[0][1])
        self.assertIn("cannot read", self.check('<!-- snippet: other.cpp hello -->\n```cpp\n```\n')[0][1])

    def test_update_copies_the_region(self):
        write(self.readme, 'Text\n<!-- snippet: main.cpp hello -->\n```cpp\nstale\n```\nMore\n')
        with open(self.readme, encoding="utf-8") as f:
            run_lesson.update_snippets(self.readme, f.read())
        with open(self.readme, encoding="utf-8") as f:
            text = f.read()
        self.assertIn('```cpp\nsay("hello");  // print("hello")\nif (x) {\n  y();\n}\n```\nMore\n', text)
        self.assertEqual(run_lesson.check_snippets(self.readme, text), [])


class Course(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.lessons = os.path.join(self.dir.name, "lessons")
        for folder, title in (("00-setup", "# Lesson 00: setup"), ("01-next", "# Lesson 01: next")):
            os.makedirs(os.path.join(self.lessons, folder))
            write(os.path.join(self.lessons, folder, "README.md"), title + "\n")
        write(os.path.join(self.lessons, "CMakeLists.txt"),
              "socketlab_add_lesson(00-setup)\nsocketlab_add_lesson(01-next PROGRAMS a a.cpp)\n")
        write(os.path.join(self.lessons, "README.md"), "- [0](00-setup/README.md)\n- [1](01-next/README.md)\n")
        write(os.path.join(self.dir.name, "README.md"),
              "- [0](lessons/00-setup/README.md)\n- [1](lessons/01-next/README.md)\n")

    def tearDown(self):
        self.dir.cleanup()

    def test_a_whole_course_passes(self):
        self.assertEqual(run_lesson.check_course(self.lessons), [])

    def test_an_unregistered_lesson_fails(self):
        write(os.path.join(self.lessons, "CMakeLists.txt"), "socketlab_add_lesson(00-setup)\n")
        self.assertEqual(len(run_lesson.check_course(self.lessons)), 1)

    def test_a_lesson_missing_from_a_list_or_out_of_order_fails(self):
        write(os.path.join(self.lessons, "README.md"), "- [1](01-next/README.md)\n- [0](00-setup/README.md)\n")
        write(os.path.join(self.dir.name, "README.md"), "- [0](lessons/00-setup/README.md)\n")
        self.assertEqual(len(run_lesson.check_course(self.lessons)), 2)

    def test_a_wrong_title_fails(self):
        write(os.path.join(self.lessons, "01-next", "README.md"), "# Next\n")
        self.assertIn("title", run_lesson.check_course(self.lessons)[0])


class Filter(unittest.TestCase):
    """The filter on the real course: the pages Doxygen gets."""

    def page(self, folder):
        path = os.path.join(lesson_filter.LESSONS, folder, "README.md")
        with open(path, encoding="utf-8") as f:
            return lesson_filter.convert(path, f.read())

    def test_a_lesson_is_a_page_with_its_neighbours(self):
        page = self.page("02-first-server")
        self.assertTrue(page.startswith("# Lesson 02: the first server {#lesson02}\n"))
        self.assertIn("(@ref lesson01) · [The course](@ref lessons) · [", page)
        self.assertIn("(@ref lesson03) →", page)

    def test_snippets_become_snippet_commands(self):
        page = self.page("02-first-server")
        self.assertIn("\\snippet lessons/02-first-server/server.cpp socket\n", page)
        self.assertNotIn("```cpp", page)
        self.assertNotIn("server.open(tcp::v4());", page)  # the README's copy is gone
        self.assertIn("\\includelineno lessons/02-first-server/server.cpp", page)

    def test_diagrams_and_links(self):
        path = os.path.join(lesson_filter.LESSONS, "02-first-server", "README.md")  # any lesson's place
        text = ("# Lesson 02: x\n\nSee [lesson 02](../02-first-server/README.md) and [code](main.cpp).\n"
                "![chart](../../docs/serving-models.svg)\n"
                "```msc\nmsc {\n  a, b;\n  a => b;\n}\n```\n```dot\ndigraph g { a -> b; }\n```\n"
                "## About `code`\n```console\n$ x [y](z)\n```\n")
        out = lesson_filter.convert(path, text)
        self.assertIn("See [lesson 02](@ref lesson02) and code.", out)
        self.assertIn('\\image html serving-models.svg "chart"', out)
        self.assertIn("\\msc\n  a, b;\n  a => b;\n\\endmsc", out)
        self.assertIn("\\dot\ndigraph g { a -> b; }\n\\enddot", out)
        self.assertIn("## About code\n", out)
        self.assertIn("$ x [y](z)", out)  # a console block is left as it is

    def test_a_diagrams_frame_is_githubs_only(self):
        path = os.path.join(lesson_filter.LESSONS, "02-first-server", "README.md")
        text = ("# Lesson 02: x\n\n![a chart](diagrams/g.svg)\n\n"
                "<details><summary>The diagram's source (Graphviz DOT)</summary>\n\n"
                "```dot\ndigraph g { a -> b; }\n```\n\n</details>\n\nAfter.\n")
        out = lesson_filter.convert(path, text)
        self.assertIn("\\dot\ndigraph g { a -> b; }\n\\enddot", out)
        self.assertNotIn("diagrams/g.svg", out)
        self.assertNotIn("details>", out)
        self.assertIn("After.", out)

    def test_code_with_a_quote_becomes_html(self):
        # Doxygen 1.9.8 reads `b'x' as a quotation, which breaks the span; the span becomes
        # <code> with what Doxygen would read escaped. Spans without a quote stay as they are,
        # and links are made only outside code.
        path = os.path.join(lesson_filter.LESSONS, "02-first-server", "README.md")
        text = ("# Lesson 02: x\n\nSend `s.sendall(b'GET / HTTP/1.1\\r\\n')` then `5\\r\\n`, "
                "`tr '\\0' a --x *y* @z #w <t>`, `[a](b)` and [code](main.cpp).\n"
                "Run `py -c \"s.sendall(b'A\\r\\n') <t>\" --x`.\n")
        out = lesson_filter.convert(path, text)
        self.assertIn("Send <code>s.sendall(b'GET / HTTP/1.1\\\\r\\\\n')</code> then `5\\r\\n`, ", out)
        # Between double quotes Doxygen reads nothing: the text stays as it is.
        self.assertIn("Run <code>py \\-c \"s.sendall(b'A\\r\\n') <t>\" \\-\\-x</code>.", out)
        self.assertIn("<code>tr '\\\\0' a \\-\\-x \\*y\\* \\@z \\#w &lt;t&gt;</code>", out)
        self.assertIn(", `[a](b)` and code.", out)

    def test_the_course_orders_the_lessons(self):
        path = os.path.join(lesson_filter.LESSONS, "README.md")
        with open(path, encoding="utf-8") as f:
            page = lesson_filter.convert(path, f.read())
        self.assertTrue(page.startswith("# The course {#lessons}\n"))
        subpages = [l.split()[2] for l in page.splitlines() if l.startswith("- \\subpage")]
        self.assertEqual(subpages, [p for p, _, _ in lesson_filter.lessons()])


class Running(unittest.TestCase):
    """Blocks run as the README's directives say: captures, what a block needs, Ctrl+C."""

    def run_readme(self, text):
        blocks, _ = run_lesson.parse(textwrap.dedent(text))
        env = dict(os.environ)
        with tempfile.TemporaryDirectory() as workdir, \
                contextlib.redirect_stdout(io.StringIO()) as out:
            run, failures = run_lesson.run_blocks(blocks, {}, env, workdir)
        return run, failures, out.getvalue()

    # Prints "ready", then what the next block writes into the file "seen", then, at Ctrl+C, "stopped".
    WATCHER = ("$ sh -c 'trap \"echo stopped; exit 0\" INT; echo ready; "
               "while [ ! -s seen ]; do sleep 0.01; done; cat seen; while :; do sleep 0.01; done'")

    def test_a_capture_sees_the_next_block_and_stops_at_ctrl_c(self):
        readme = f"""\
            <!-- lesson-test: capture 1 -->
            ```console
            {self.WATCHER}
            ready
            the packet
            ^C
            stopped
            ```
            ```console
            $ echo 'the packet' > seen
            ```
            """
        self.assertEqual(self.run_readme(readme)[:2], (2, 0))
        wait = run_lesson.START_TIMEOUT
        run_lesson.START_TIMEOUT = 1  # for what never comes
        try:
            wrong = readme.replace("the packet\n            ^C", "another\n            ^C")
            self.assertEqual(self.run_readme(wrong)[:2], (2, 1))
        finally:
            run_lesson.START_TIMEOUT = wait

    def test_ctrl_c_reaches_every_process_of_the_command(self):
        # The shell runs its trap only once sleep has ended: only if sleep got the Ctrl+C too
        # does that happen before the runner gives up (strace and the program it watches, say).
        readme = """\
            <!-- lesson-test: background -->
            ```console
            $ sh -c 'trap "echo stopped" INT; sh -c "echo ready; exec sleep 60"; echo done'
            ready
            ^C
            stopped
            done
            ```
            """
        self.assertEqual(self.run_readme(readme)[:2], (1, 0))

    def test_the_start_of_a_line_is_a_readiness_signal(self):
        # strace prints "accept(6, " and blocks there: Ctrl+C belongs after it, not before.
        with tempfile.TemporaryDirectory() as workdir:
            bg = run_lesson.Background("sh -c 'echo one; printf \"accept(6, \"; exec sleep 60'",
                                       dict(os.environ), workdir)
            try:
                self.assertEqual(bg.wait_for(["one"], 10, started="accept(6, "), ["one"])
                self.assertEqual(bg.partial, "accept(6, ")
                began = time.monotonic()
                bg.wait_for(["one"], 0.2, started="listen(")  # never comes: waits its whole time
                self.assertGreaterEqual(time.monotonic() - began, 0.2)
            finally:
                self.assertTrue(bg.interrupt())
            self.assertEqual(bg.lines, ["one", "accept(6, ", None])

    def test_a_block_whose_tool_is_missing_is_skipped_and_said(self):
        run, failures, out = self.run_readme("""\
            <!-- lesson-test: needs no-such-tool-here -->
            ```console
            $ no-such-tool-here
            what it would print
            ```
            """)
        self.assertEqual((run, failures), (0, 0))
        self.assertIn("needs no-such-tool-here, not installed here", out)

    def test_sudo_needs_root(self):
        block = run_lesson.parse("```console\n$ sudo true\n```\n")[0][0]
        if run_lesson.as_root():
            self.assertIsNone(run_lesson.why_not_run(block, dict(os.environ)))
            self.assertEqual(run_lesson.unsudo("sudo tcpdump -i lo"), "tcpdump -i lo")
            self.assertEqual(run_lesson.unsudo("sudo a 2>/dev/null; sudo b && sudo c | sudo d"), "a 2>/dev/null; b && c | d")
            self.assertEqual(run_lesson.unsudo("echo pseudo sudoku"), "echo pseudo sudoku")
        else:
            self.assertIn("needs root", run_lesson.why_not_run(block, dict(os.environ)))
            self.assertEqual(run_lesson.unsudo("sudo tcpdump -i lo"), "sudo tcpdump -i lo")

    def test_dots_then_a_wildcard(self):
        self.assertTrue(run_lesson.matches(["IP 127.0.0.1.... > x"], ["IP 127.0.0.1.42470 > x"]))
        self.assertFalse(run_lesson.matches(["IP 127.0.0.1.... > x"], ["IP 127.0.0.142470 > x"]))


class Diagrams(unittest.TestCase):
    """A diagram's image must be there, and drawn from the block as it is now."""

    FRAMED = ("# Lesson 01: x\n\n![a chart](diagrams/g.svg)\n\n"
              "<details><summary>The diagram's source (Graphviz DOT)</summary>\n\n"
              "```dot\n{}\n```\n\n</details>\n")

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.readme = os.path.join(self.tmp.name, "README.md")
        os.makedirs(os.path.join(self.tmp.name, "diagrams"))

    def tearDown(self):
        self.tmp.cleanup()

    def svg_of(self, source):
        write(os.path.join(self.tmp.name, "diagrams", "g.svg"),
              "<svg>" + diagrams.MARK.format(diagrams.digest(source + "\n")) + "</svg>\n")

    def test_an_image_drawn_from_the_block_passes(self):
        self.svg_of("digraph g { a -> b; }")
        self.assertEqual(diagrams.check(self.readme, self.FRAMED.format("digraph g { a -> b; }")), [])

    def test_a_source_changed_since_it_was_drawn_fails(self):
        self.svg_of("digraph g { a -> b; }")
        failures = diagrams.check(self.readme, self.FRAMED.format("digraph g { a -> c; }"))
        self.assertEqual(len(failures), 1)
        self.assertIn("drawn from another source", failures[0][1])

    def test_a_missing_image_or_frame_fails(self):
        self.assertIn("is missing", diagrams.check(self.readme, self.FRAMED.format("digraph g {}"))[0][1])
        bare = "# Lesson 01: x\n\n```msc\nmsc { a, b; }\n```\n"
        self.assertIn("needs its image", diagrams.check(self.readme, bare)[0][1])


if __name__ == "__main__":
    unittest.main(verbosity=1)
