"""What the bench scripts' reports (scripts/bench/*_report.py) share: reading the runs, medians,
the tables they print and the files they write.

run_report (scripts/bench/runs.sh) runs each report program with the same first arguments, as
strings, then the program's own:
    RESULTS MARKDOWN JSON DURATION ROUNDS PINNING ARG...
RESULTS is the file of the runs, a tab-separated line each; MARKDOWN and JSON are --markdown and
--json ("" when not given); PINNING says which CPUs the servers and the load ran on.
"""
import json
import re
import statistics


def read_runs(path, fields):
    """The runs in the tab-separated file at path, a dict a line; fields: (name, type) a column."""
    with open(path) as f:
        return [{name: kind(value) for (name, kind), value in zip(fields, line.rstrip("\n").split("\t"))}
                for line in f]


def median(values):
    """The median of values; 0.0 when there are none."""
    return statistics.median(values) if values else 0.0


def print_columns(head, rows):
    """Prints head, a rule and rows (tuples of strings) in columns, the first one aligned left and
    the others right; returns the columns' widths."""
    widths = [max(len(row[i]) for row in [head] + rows) for i in range(len(head))]

    def line(row):
        return "  ".join(s.ljust(w) if i == 0 else s.rjust(w) for i, (s, w) in enumerate(zip(row, widths)))

    print(line(head))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    return widths


def markdown_table(head, rows, left=1, caption=(), text=()):
    """head and rows (tuples of strings) as a Markdown table, a line each; the first `left`
    columns and those whose indexes are in `text` aligned left, the others right (the numbers).
    Before it, when given, the lines of caption and a blank line."""
    lines = [*caption, ""] if caption else []
    rule = "".join("---|" if i < left or i in text else "---:|" for i in range(len(head)))
    lines += ["| " + " | ".join(head) + " |", "|" + rule]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_text(path, text):
    """Writes text to the file path (--markdown); nothing when path is empty."""
    if path:
        with open(path, "w") as f:
            f.write(text)


def write_json(path, data):
    """Writes data as indented JSON to the file path (--json); nothing when path is empty."""
    if path:
        with open(path, "w") as f:
            json.dump(data, f, indent=2)
            f.write("\n")


def update_page(path, preamble, parts, writer):
    """Writes the page at path (--markdown; nothing when empty) made of preamble (its title and
    introduction) and parts, a list of (name, text) in page order, each between the lines
    "<!-- NAME: begin; WRITER rewrites this part -->" and "<!-- NAME: end -->". A part whose text
    is None keeps the text it has in the page as it was, if any: a run rewrites only what it
    measured."""
    if not path:
        return
    try:
        with open(path) as f:
            old = f.read()
    except FileNotFoundError:
        old = ""
    out = [preamble.rstrip("\n"), ""]
    for name, text in parts:
        if text is None:
            found = re.search(rf"^<!-- {re.escape(name)}: begin[^\n]*-->\n(.*?)^<!-- {re.escape(name)}: end -->$",
                              old, re.DOTALL | re.MULTILINE)
            text = found.group(1) if found else None
        if text is not None:
            out += [f"<!-- {name}: begin; {writer} rewrites this part -->",
                    text.rstrip("\n"), f"<!-- {name}: end -->", ""]
    write_text(path, "\n".join(out))
