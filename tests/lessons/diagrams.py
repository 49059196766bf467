"""The lessons' diagrams: one source, drawn for GitHub and for the documentation site alike.

A diagram is a ```dot (Graphviz) or ```msc (mscgen) block in a lesson's README. GitHub shows such
a block as text, so each is drawn once into an SVG beside the README, shown as an image above
the block, with the source folded away under it:

    ![what it shows](diagrams/NAME.svg)

    <details><summary>The diagram's source (Graphviz DOT)</summary>

    ```dot
    digraph NAME { ... }
    ```

    </details>

The documentation site draws the block itself (docs/lesson_filter.py turns it into \\dot or
\\msc, and drops the image and the folding). Every SVG carries the SHA-256 of the source it was
drawn from, so the lessons' test tells a diagram whose source changed since it was drawn without
needing Graphviz or mscgen itself: check() below. update() draws them (it needs `dot` and
`mscgen`: apt install graphviz mscgen; only whoever changes a diagram runs it), adding the image
and the folding to a block that has none, named after the DOT graph, or `sequence-N` for the
N-th MSC chart of the lesson (rename the file and write the image's text after).
"""

import hashlib
import os
import re
import subprocess

IMAGE = re.compile(r"!\[([^\]]*)\]\(diagrams/([A-Za-z0-9_.-]+)\.svg\)$")
MARK = "<!-- socketlab-diagram-source: {} -->"
TOOL = {"dot": "Graphviz DOT", "msc": "mscgen MSC"}


def blocks(lines):
    """Each diagram block: (fence index, end index, kind, source text)."""
    out = []
    i = 0
    while i < len(lines):
        if lines[i].startswith(("```dot", "```msc")):
            end = i + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            out.append((i, end, lines[i][3:6], "\n".join(lines[i + 1:end]) + "\n"))
            i = end
        i += 1
    return out


def digest(source):
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def framed(lines, fence):
    """The image line's match when the block at @p fence has its image and folding, else None."""
    if fence < 4 or lines[fence - 1] != "" or not lines[fence - 2].startswith("<details><summary>"):
        return None
    if lines[fence - 3] != "":
        return None
    return IMAGE.match(lines[fence - 4])


def check(readme, text):
    """(line number, message) for each diagram without its image, or drawn from another source."""
    lines = text.splitlines()
    folder = os.path.dirname(os.path.abspath(readme))
    failures = []
    for fence, end, kind, source in blocks(lines):
        image = framed(lines, fence)
        closed = end + 2 < len(lines) and lines[end + 1] == "" and lines[end + 2] == "</details>"
        if not image or not closed:
            failures.append((fence + 1, "a diagram needs its image above it and its source folded: "
                                        "run_lesson.py --update-diagrams adds them"))
            continue
        path = os.path.join(folder, "diagrams", image.group(2) + ".svg")
        try:
            with open(path, encoding="utf-8") as f:
                drawn = f.read()
        except OSError:
            failures.append((fence + 1, f"diagrams/{image.group(2)}.svg is missing "
                                        "(run_lesson.py --update-diagrams draws it)"))
            continue
        if MARK.format(digest(source)) not in drawn:
            failures.append((fence + 1, f"diagrams/{image.group(2)}.svg was drawn from another source "
                                        "(run_lesson.py --update-diagrams draws it again)"))
    return failures


def draw(kind, source, path):
    """Draws @p source into the SVG at @p path, marked with the source's digest."""
    command = ["dot", "-Tsvg"] if kind == "dot" else ["mscgen", "-T", "svg", "-i", "-", "-o", "-"]
    svg = subprocess.run(command, input=source, capture_output=True, text=True, check=True).stdout
    if kind == "msc":  # mscgen draws on nothing: on a dark page, black on dark. Graphviz paints white.
        start = svg.find("<svg")
        start = svg.find(">", start) + 1
        svg = svg[:start] + '\n<rect width="100%" height="100%" fill="white"/>' + svg[start:]
    at = svg.find("?>") + 2 if svg.startswith("<?xml") else 0
    mark = MARK.format(digest(source))
    svg = svg[:at] + "\n" + mark + svg[at:] if at else mark + "\n" + svg
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(svg)


def update(readme, text):
    """Draws every diagram of @p readme again, and frames those that have no image yet."""
    lines = text.splitlines()
    folder = os.path.dirname(os.path.abspath(readme))
    sequence = sum(1 for b in blocks(lines) if b[2] == "msc")
    for fence, end, kind, source in reversed(blocks(lines)):
        image = framed(lines, fence)
        if image:
            name = image.group(2)
        else:
            graph = re.match(r"\s*(?:di)?graph\s+([A-Za-z0-9_]+)", source) if kind == "dot" else None
            name = graph.group(1).replace("_", "-") if graph else f"sequence-{sequence}"
            lines[end + 1:end + 1] = ["", "</details>"]
            lines[fence:fence] = [f"![the diagram]({'diagrams/' + name}.svg)", "",
                                  f"<details><summary>The diagram's source ({TOOL[kind]})</summary>", ""]
        if kind == "msc":
            sequence -= 1
        draw(kind, source, os.path.join(folder, "diagrams", name + ".svg"))
    with open(readme, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
