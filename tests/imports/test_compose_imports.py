"""In Docker Compose the worker must read the files that web stored for import."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
DOCKERFILE = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()


def mounts(service: str) -> dict[str, str]:
    return {v.split(":")[1]: v.split(":")[0] for v in COMPOSE["services"][service].get("volumes", [])}


def test_web_and_worker_share_the_import_volume():
    root = COMPOSE["services"]["web"]["environment"]["IMPORT_ROOT"]
    assert COMPOSE["services"]["worker"]["environment"]["IMPORT_ROOT"] == root
    assert mounts("web")[root] == mounts("worker")[root] == "imports"
    assert "imports" in COMPOSE["volumes"]
    assert f"IMPORT_ROOT={root}" in DOCKERFILE and root in DOCKERFILE.split("mkdir -p", 1)[1].split("\n", 1)[0]
