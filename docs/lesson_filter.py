#!/usr/bin/env python3
"""Doxygen's input filter for the Markdown pages (docs/Doxyfile.in, FILTER_PATTERNS).

The READMEs are written for GitHub; this turns them into Doxygen pages, on the fly:
  - a lesson (lessons/NN-slug/README.md) becomes the page "lessonNN", with links to the
    previous and next lessons and to the course, and its programs' whole sources at the end;
  - the course (lessons/README.md) becomes the page "lessons"; its links to the lessons
    become \\subpage, which orders the lessons in the site's tree;
  - a ```cpp block announced by <!-- snippet: FILE NAME --> becomes \\snippet FILE NAME:
    the site shows the compiled source, never the README's copy (which the lesson test keeps
    equal to it, tests/lessons/run_lesson.py);
  - ```dot and ```msc blocks become \\dot and \\msc diagrams; the image drawn from the same
    block for GitHub, and the folding of its source there, are dropped (tests/lessons/diagrams.py);
  - `code` in a heading becomes plain text (Doxygen 1.9 would show the HTML it makes of it);
  - `code` with a ' in it becomes <code>...</code>: Doxygen 1.9.8 reads `text' as a quotation
    (‘text’), which breaks such a span and lets its backslashes be read as commands;
  - links: to a lesson or the course become \\ref, to an image under docs/ an \\image, to a
    page of docs/ unchanged (Doxygen resolves it); to any other file of the repository,
    which is not part of the site, the link's text alone.

Usage: lesson_filter.py FILE.md   (the page on standard output)
"""

import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LESSONS = os.path.join(ROOT, "lessons")
SNIPPET = re.compile(r"\s*<!--\s*snippet:\s*(\S+)\s+(\S+)\s*-->")
# The lines tests/lessons/diagrams.py puts around a diagram for GitHub: its drawn image, and the
# folding of its source.
DIAGRAM_FRAME = re.compile(r"!\[[^\]]*\]\(diagrams/[A-Za-z0-9_.-]+\.svg\)$|<details><summary>The diagram's source "
                           r"\([^)]*\)</summary>$|</details>$")
LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
# What Doxygen reads in text, and so inside <code>, that a code span shows as it is: HTML, its
# commands, its links, emphasis, and two hyphens (an en dash). Not between double quotes.
DOXYGEN_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "@": "\\@", "#": "\\#",
                   "%": "\\%", "$": "\\$", "*": "\\*", "_": "\\_", "-": "\\-"}


def code_as_html(code):
    """A code span's text as <code>...</code>, every character Doxygen would read escaped, except
    between double quotes, where Doxygen reads nothing and shows every character as it is."""
    parts = code.split('"')
    for k in range(0, len(parts), 2):
        parts[k] = "".join(DOXYGEN_ESCAPES.get(c, c) for c in parts[k])
    return "<code>" + '"'.join(parts) + "</code>"


def inline(line, text):
    """@p line with text(part) applied outside its code spans, and each span with a ' made HTML."""
    out, pos = [], 0
    for m in CODE_SPAN.finditer(line):
        out.append(text(line[pos:m.start()]))
        out.append(code_as_html(m.group(2)) if "'" in m.group(2) else m.group(0))
        pos = m.end()
    out.append(text(line[pos:]))
    return "".join(out)


def lessons():
    """(page id, folder, title) of every lesson, in order."""
    out = []
    for readme in sorted(glob.glob(os.path.join(LESSONS, "[0-9][0-9]-*", "README.md"))):
        folder = os.path.basename(os.path.dirname(readme))
        with open(readme, encoding="utf-8") as f:
            title = f.readline().lstrip("#").strip()
        out.append(("lesson" + folder[:2], folder, title))
    return out


def page_id(path):
    """The page id of a Markdown file of the repository that is a page of its own, or None."""
    path = os.path.normpath(path)
    if path == os.path.join(LESSONS, "README.md"):
        return "lessons"
    if os.path.basename(path) == "README.md" and os.path.dirname(os.path.dirname(path)) == LESSONS:
        folder = os.path.basename(os.path.dirname(path))
        if re.match(r"\d\d-", folder):
            return "lesson" + folder[:2]
    return None


def link(match, here, course):
    bang, text, target = match.groups()
    if re.match(r"[a-z]+:", target) or target.startswith(("#", "@")):
        return match.group(0)  # a web address, an anchor, a Doxygen reference
    path = os.path.normpath(os.path.join(here, target.split("#")[0]))
    if bang:
        return f'\\image html {os.path.relpath(path, os.path.join(ROOT, "docs"))} "{text}"'
    page = page_id(path)
    if page:
        return f"\\subpage {page} \"{text}\"" if course else f"[{text}](@ref {page})"
    if path.endswith(".md") and os.path.dirname(path) == os.path.join(ROOT, "docs"):
        return match.group(0)  # a page of the site: Doxygen resolves the file's path
    return text  # a source file, a folder: on GitHub a link, here the name alone


def navigation(current):
    """The line linking a lesson to its neighbours and the course."""
    order = lessons()
    ids = [l[0] for l in order]
    i = ids.index(current)
    parts = []
    if i > 0:
        parts.append(f"← [{order[i - 1][2]}](@ref {order[i - 1][0]})")
    parts.append("[The course](@ref lessons)")
    if i + 1 < len(order):
        parts.append(f"[{order[i + 1][2]}](@ref {order[i + 1][0]}) →")
    return " · ".join(parts)


def convert(path, text):
    here = os.path.dirname(os.path.abspath(path))
    page = page_id(os.path.abspath(path))
    course = page == "lessons"
    lines = text.splitlines()
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if DIAGRAM_FRAME.match(line):
            pass  # a diagram's image and folding are GitHub's: the site draws the block itself
        elif page and i == 0 and line.startswith("# "):
            out.append(f"{line} {{#{page}}}")
            if page != "lessons":
                out += ["", navigation(page)]
        elif line.startswith("```cpp") and SNIPPET.match(out[-1] if out else ""):
            m = SNIPPET.match(out.pop())
            source = os.path.relpath(os.path.normpath(os.path.join(here, m.group(1))), ROOT)
            out.append(f"\\snippet {source.replace(os.sep, '/')} {m.group(2)}")
            while i + 1 < len(lines) and not lines[i + 1].startswith("```"):
                i += 1
            i += 1  # the closing fence
        elif line.startswith(("```dot", "```msc")):
            kind = line[3:6]
            body = []
            while i + 1 < len(lines) and not lines[i + 1].startswith("```"):
                i += 1
                body.append(lines[i])
            i += 1
            if kind == "msc" and body and re.match(r"\s*msc\s*\{", body[0]) and body[-1].strip() == "}":
                body = body[1:-1]  # Doxygen wants what is inside msc { ... }
            out += [f"\\{kind}"] + body + [f"\\end{kind}"]
        elif line.startswith("```"):  # any other block: copied as it is, links and all
            out.append(line)
            while i + 1 < len(lines) and not lines[i + 1].startswith("```"):
                i += 1
                out.append(lines[i])
            if i + 1 < len(lines):
                i += 1
                out.append(lines[i])
        elif line.startswith("#"):  # Doxygen 1.9 shows `code` in a heading as <tt>...</tt>, verbatim
            out.append(LINK.sub(lambda m: link(m, here, course), line.replace("`", "")))
        else:
            out.append(inline(line, lambda part: LINK.sub(lambda m: link(m, here, course), part)))
        i += 1
    if page and page != "lessons":
        sources = sorted(glob.glob(os.path.join(here, "*.cpp")) + glob.glob(os.path.join(here, "*.hpp")))
        if sources:
            out += ["", "## The whole program" if len(sources) == 1 else "## The whole programs"]
            for source in sources:
                name = os.path.relpath(source, ROOT).replace(os.sep, "/")
                out += ["", f"`{name}`:", f"\\includelineno {name}"]
        out += ["", navigation(page)]
    return "\n".join(out) + "\n"


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        sys.stdout.write(convert(path, f.read()))


if __name__ == "__main__":
    main()
