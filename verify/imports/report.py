"""The downloadable report of a check: every bad row and every warning, with its reason."""

import csv
import io
from typing import Any

from verify.imports.models import ImportJob
from verify.lib.csvsafe import escape_cell


def _cell(value: Any) -> str:
    return escape_cell(str(value))


def report_csv(job: ImportJob) -> str:
    """Every bad row and every warning, with its reason; cells escaped against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "severity", "column", "value", "reason"])
    problems = [("error", e) for e in job.errors] + [("warning", w) for w in job.warnings]
    for severity, problem in sorted(problems, key=lambda p: (p[1]["row"], p[0])):
        writer.writerow([problem["row"], severity, problem["column"], _cell(problem.get("value", "")),
                         _cell(problem["message"])])  # fmt: skip
    return "\ufeff" + out.getvalue()
