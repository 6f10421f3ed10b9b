"""The downloadable report of a check: every bad row and every warning, with its reason."""

import csv
import io
from typing import Any

from verify.imports.detect import file_columns
from verify.imports.models import ImportJob
from verify.lib.csvsafe import escape_cell


def _cell(value: Any) -> str:
    return escape_cell(str(value))


def named_by_file(job: ImportJob, problems: list[dict]) -> list[dict]:
    """The problems with `file_column`: the name of the file's own column the value was read from (for a mapped or
    ACLED file, not ours), or our column's name when the file uses ours."""
    names = file_columns(job.format, job.mapping or {})
    return [p | {"file_column": names.get(p.get("column", ""), p.get("column", ""))} for p in problems]


def report_csv(job: ImportJob) -> str:
    """Every bad row and every warning, with its reason; cells escaped against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out)
    # column: the file's own column; verify_column: ours, which it was read as.
    writer.writerow(["row", "severity", "column", "verify_column", "value", "reason"])
    problems = [("error", e) for e in named_by_file(job, job.errors)]
    problems += [("warning", w) for w in named_by_file(job, job.warnings)]
    for severity, problem in sorted(problems, key=lambda p: (p[1]["row"], p[0])):
        writer.writerow([problem["row"], severity, _cell(problem["file_column"]), problem["column"],
                         _cell(problem.get("value", "")), _cell(problem["message"])])  # fmt: skip
    return "\ufeff" + out.getvalue()
