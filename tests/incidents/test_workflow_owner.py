"""Every status change goes through verify.incidents.workflow: no other module writes an incident's status or a
status log entry. A source scan, so that a new writer elsewhere fails here rather than in a reviewer's hands."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "verify"
OWNER = ROOT / "incidents" / "workflow.py"
INCIDENT_STATUS = {"Status"}
WRITES = {
    "create",
    "bulk_create",
    "update",
    "get_or_create",
    "update_or_create",
    "delete",
}  # the incident status enum's name; ImportStatus and others are not the workflow's


# Another model's own status enum (ImportStatus, CaptureStatus…): not the incident workflow's.
OTHER_STATUS_ENUM = re.compile(r"\b\w+Status\.")


def _writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        # incident.status = ...   /   x.status = Status.X
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    value = node.value
                    if isinstance(value, ast.Attribute) and getattr(value.value, "id", "") not in INCIDENT_STATUS:
                        continue
                    found.append((node.lineno, ast.unparse(node)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            # Incident(..., status=...) other than a new draft, .update(status=...), StatusTransition.objects.create
            for keyword in node.keywords:
                writes_status = keyword.arg == "status" and node.func.attr in {"update", "create", "bulk_update"}
                if writes_status and not OTHER_STATUS_ENUM.search(ast.unparse(keyword.value)):
                    found.append((node.lineno, ast.unparse(node)[:120]))
            chain = ast.unparse(node.func)
            if chain.startswith("StatusTransition.objects.") and node.func.attr in WRITES:
                found.append((node.lineno, chain))
    return found


def test_no_module_but_the_workflow_writes_a_status_or_a_transition():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path == OWNER or "migrations" in path.parts:
            continue
        for line, code in _writes(ast.parse(path.read_text(), filename=str(path))):
            offenders.append(f"{path.relative_to(ROOT.parent)}:{line}: {code}")
    assert not offenders, "Status written outside the workflow:\n" + "\n".join(offenders)


def test_the_scan_finds_a_status_written_by_hand():
    """The scan itself must be able to fail."""
    sample = "incident.status = Status.VERIFIED\nIncident.objects.filter(pk=1).update(status='verified')\n"
    sample += "StatusTransition.objects.create(incident=i)\n"
    assert len(_writes(ast.parse(sample))) == 3
