#!/usr/bin/env python3
"""The kit as `cmake --install` lays it out, tried as a user would try it.

Installs a build into a staging folder (DESTDIR, as a package is made), then:
- the programs, manual pages, bash completions, lessons and lesson programs are where
  cmake/Install.cmake says, and the manual pages' NOTES name folders that were installed;
- the installed programs run: --version, a server on a free port answered by the client, a
  graceful stop; a lesson program runs;
- each manual page has every option of every command that --help lists, and groff reads it
  without a warning;
- the installed bash completion, sourced in bash, completes commands, options and a set of values.

    test_install.py --build BUILD_DIR --source SOURCE_DIR [--cmake CMAKE]
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ARGS = None
STAGE = None        # the staging folder (DESTDIR)
PREFIX = None       # the install prefix inside it
PROGRAMS = ("socketlab-server", "socketlab-client")


def run(*command, **kwargs):
    """Runs a command; returns (status, stdout, stderr) as text."""
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=60, **kwargs)
    return done.returncode, done.stdout, done.stderr


def cache_value(name):
    """A value from the build's CMakeCache.txt."""
    text = (Path(ARGS.build) / "CMakeCache.txt").read_text()
    match = re.search(rf"^{name}:[A-Z]+=(.*)$", text, re.M)
    return match.group(1) if match else None


def lessons_built():
    """Whether this build made the lessons' programs (the asan preset does not)."""
    return cache_value("SOCKETLAB_BUILD_LESSONS") in ("ON", "TRUE", "1", "YES")


def skip_unless_lessons_built(test):
    """Skips @p test where this build has no lessons' programs."""
    if not lessons_built():
        test.skipTest("the lessons' programs are not built here (SOCKETLAB_BUILD_LESSONS=OFF)")


def commands_of(program):
    """The subcommands `program --help` lists, in order."""
    _, out, _ = run(PREFIX / "bin" / program, "--help")
    section = re.search(r"(?i)subcommands:\n((?:  .*\n?)*)", out)
    return re.findall(r"^  ([a-z][a-z0-9-]*)", section.group(1), re.M) if section else []


def options_in_help(program, command):
    """The option names `program [command] --help` lists (-x, --long)."""
    _, out, _ = run(PREFIX / "bin" / program, *([command] if command else []), "--help")
    names = set()
    for line in out.splitlines():
        match = re.match(r"^  (-[^ ]+)", line)
        if match:
            names.update(n for n in match.group(1).split(",") if n.startswith("-"))
    return names


class Layout(unittest.TestCase):
    def test_programs_pages_and_completions(self):
        for program in PROGRAMS:
            self.assertTrue(os.access(PREFIX / "bin" / program, os.X_OK), program)
            self.assertTrue((PREFIX / "share/man/man1" / f"{program}.1").is_file(), program)
            self.assertTrue((PREFIX / "share/bash-completion/completions" / program).is_file(), program)

    def test_lessons(self):
        docs = PREFIX / "share/doc/socketlab"
        self.assertTrue((docs / "README.md").is_file())
        lessons = sorted(p for p in (Path(ARGS.source) / "lessons").iterdir() if re.match(r"\d\d-", p.name))
        self.assertGreaterEqual(len(lessons), 14)
        for lesson in lessons:
            for source in lesson.rglob("*"):  # the README, the programs, the diagrams' images
                if source.is_file():
                    self.assertTrue((docs / "lessons" / source.relative_to(lesson.parent)).is_file(), source)

    def test_the_lessons_programs(self):
        skip_unless_lessons_built(self)
        built = sorted(p.name for p in (Path(ARGS.build) / "lessons").iterdir() if p.name.startswith("lesson"))
        self.assertGreaterEqual(len(built), 14)
        for name in built:
            self.assertTrue(os.access(PREFIX / "libexec/socketlab" / name, os.X_OK), name)

    def test_the_manual_pages_name_folders_that_were_installed(self):
        page = (PREFIX / "share/man/man1/socketlab-server.1").read_text().replace("\\-", "-")
        lessons = re.findall(r"are installed\s+in\s+(/\S+?)[;.]\s", page)
        programs = re.findall(r"their programs \(.*?\)\s+in\s+(/\S+?):", page, re.S)
        self.assertEqual(len(lessons), 1, "the NOTES name the lessons' folder")
        self.assertEqual(len(programs), 1 if lessons_built() else 0,
                         "the NOTES name the programs' folder exactly where they were built")
        for folder in lessons + programs:
            self.assertTrue((STAGE / folder.lstrip("/")).is_dir(), folder)


class Programs(unittest.TestCase):
    def test_version(self):
        for program in PROGRAMS:
            status, out, _ = run(PREFIX / "bin" / program, "--version")
            self.assertEqual(status, 0)
            self.assertRegex(out, rf"^{program} \d+\.\d+\.\d+")

    def test_the_installed_server_answers_the_installed_client(self):
        server = subprocess.Popen([PREFIX / "bin/socketlab-server", "--site", "0=fr", "--access-log", "off"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            port = None
            for line in server.stdout:  # the banner names the port the system chose
                match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
                if match:
                    port = match.group(1)
                if line.startswith("Press Ctrl+C"):
                    break
            self.assertIsNotNone(port, "the banner names a port")
            status, out, err = run(PREFIX / "bin/socketlab-client", "get", f"http://127.0.0.1:{port}/")
            self.assertEqual((status, out, err), (0, "Bonjour, le monde\u202f!\n", ""))
        finally:
            server.send_signal(signal.SIGINT)
            rest, _ = server.communicate(timeout=10)
        self.assertEqual(server.returncode, 0)
        self.assertIn("stopped", rest)

    def test_a_lesson_program_runs(self):
        skip_unless_lessons_built(self)
        status, out, err = run(PREFIX / "libexec/socketlab/lesson00-check")
        self.assertEqual(status, 0, out + err)


class ManualPages(unittest.TestCase):
    def test_every_option_of_every_command_is_in_the_page(self):
        for program in PROGRAMS:
            page = (PREFIX / "share/man/man1" / f"{program}.1").read_text()
            commands = commands_of(program)
            self.assertIn("completion", commands)
            for command in [None] + commands:
                options = options_in_help(program, command)
                self.assertIn("--help", options, (program, command))
                if command:
                    self.assertIn(f'.SS "{program} {command}"'.replace("-", "\\-"), page)
                for option in options:
                    self.assertIn("\\fB" + option.replace("-", "\\-") + "\\fR", page, (program, command))

    @unittest.skipUnless(shutil.which("groff"), "groff is not installed (apt install groff-base)")
    def test_groff_reads_them_without_a_warning(self):
        for program in PROGRAMS:
            status, out, err = run("groff", "-man", "-Tutf8", "-ww", "-z", PREFIX / "share/man/man1" / f"{program}.1")
            self.assertEqual((status, err), (0, ""), program)


class Completion(unittest.TestCase):
    def complete(self, program, *words):
        """What Tab offers after `program words...` (the last word being the one completed)."""
        script = PREFIX / "share/bash-completion/completions" / program
        function = "_" + program.replace("-", "_")
        line = " ".join(f"'{w}'" for w in (program,) + words)
        status, out, err = run("bash", "--norc", "-c",
                               f'source "{script}"; COMP_WORDS=({line}); COMP_CWORD={len(words)}; {function}; '
                               'printf "%s\\n" "${COMPREPLY[@]}"; complete -p ' + program)
        self.assertEqual((status, err), (0, ""))
        *offered, binding = out.rstrip("\n").split("\n")
        self.assertEqual(binding, f"complete -o default -F {function} {program}")
        return [w for w in offered if w]

    def test_commands(self):
        for program in PROGRAMS:
            self.assertEqual(self.complete(program, ""), commands_of(program))
        self.assertEqual(self.complete("socketlab-client", "b"), ["bench", "backlog"])

    def test_options_of_the_command_given(self):
        self.assertEqual(self.complete("socketlab-client", "get", "--ti"), ["--timeout"])
        echo = self.complete("socketlab-server", "tcp-echo", "--")
        self.assertIn("--port", echo)
        self.assertNotIn("--site", echo)  # the HTTP server's, not the echo server's
        self.assertIn("--site", self.complete("socketlab-server", "http", "--s"))  # http takes them all
        self.assertIn("--site", self.complete("socketlab-server", "--s"))

    def test_a_set_of_values(self):
        models = ["iterative", "thread-per-connection", "thread-pool", "async"]
        self.assertEqual(self.complete("socketlab-server", "--model", ""), models)
        self.assertEqual(self.complete("socketlab-server", "--model", "thread-p"), ["thread-per-connection", "thread-pool"])
        self.assertEqual(self.complete("socketlab-client", "completion", ""), ["bash"])

    def test_a_value_is_not_taken_for_a_command(self):
        # `--host tcp-echo`: "tcp-echo" is --host's value, so the line has no command yet.
        self.assertEqual(self.complete("socketlab-server", "--host", "tcp-echo", ""), commands_of("socketlab-server"))
        self.assertEqual(self.complete("socketlab-client", "get", "-X", ""), [])  # bash's file names


def main():
    global ARGS, STAGE, PREFIX
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--cmake", default="cmake")
    ARGS, rest = parser.parse_known_args()
    with tempfile.TemporaryDirectory(prefix="socketlab-install-") as stage:
        STAGE = Path(stage)
        PREFIX = STAGE / cache_value("CMAKE_INSTALL_PREFIX").lstrip("/")
        status, out, err = run(ARGS.cmake, "--install", ARGS.build, env=dict(os.environ, DESTDIR=stage))
        if status != 0:
            sys.exit(f"cmake --install failed:\n{out}{err}")
        result = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
