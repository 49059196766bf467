"""What the bench scripts' reports (scripts/bench/*_report.py) share: reading the runs, medians,
the tables they print and the files they write.

run_report (scripts/bench/runs.sh) runs each report program with the same first arguments, as
strings, then the program's own:
    RESULTS MARKDOWN JSON DURATION ROUNDS PINNING ARG...
RESULTS is the file of the runs, a tab-separated line each; MARKDOWN and JSON are --markdown and
--json ("" when not given); PINNING says which CPUs the servers and the load ran on.
"""
import json
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


def markdown_table(head, rows, left=1, caption=()):
    """head and rows (tuples of strings) as a Markdown table, a line each; the first `left`
    columns aligned left, the others right (the numbers). Before it, when given, the lines of
    caption and a blank line."""
    lines = [*caption, ""] if caption else []
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * left + "---:|" * (len(head) - left)]
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
