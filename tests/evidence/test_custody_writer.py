"""Custody events are written from one module of the evidence app only (issue 12): evidence/services.py."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "verify"
WRITER = ROOT / "evidence" / "services.py"
WRITES = re.compile(r"\bcustody_record\(|CustodyEvent\.objects\.(create|bulk_create)|CustodyEvent\(")


def test_no_module_but_the_evidence_services_writes_custody_events():
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}"
        for path in ROOT.rglob("*.py")
        if path != WRITER and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if WRITES.search(line) and not line.lstrip().startswith(("class ", "def ", "#"))
    ]
    assert not offenders, "\n".join(offenders)
