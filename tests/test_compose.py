"""docker-compose.yml and the Dockerfile agree with the code they start.

No Docker engine is needed: these tests read the two files, read verify/settings.py, and import the modules that
the containers would run. None touches the database.
"""

import importlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest
import yaml
from celery.app.utils import find_app
from django.conf import settings
from django.urls import resolve

from verify.core.env import FALSE_VALUES, TRUE_VALUES

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SETTINGS_FILE = ROOT / "verify" / "settings.py"
REQUIREMENTS_FILE = ROOT / "requirements.txt"

FIVE_SERVICES = ("web", "worker", "beat", "postgres", "redis")
APP_SERVICES = ("web", "worker", "beat")
BACKING_SERVICES = ("postgres", "redis")
# Beat has no healthcheck: it serves nothing that could be asked.
HEALTHCHECKED = ("web", "worker", "postgres", "redis")
# What `docker compose up` would be given: only the one variable the file insists on.
HOST_ENV = {"SECRET_KEY": "test-secret-key"}

SETTINGS_READ = re.compile(r"\benv_(str|bool|int|list)\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
INTERPOLATION = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


class MissingVariable(Exception):
    pass


def interpolate(value: str, environ: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message} and $$, as `docker compose` reads them."""

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("name") or match.group("bare")
        op, arg = match.group("op"), match.group("arg")
        current = environ.get(name)
        if op == ":-":
            return current if current else arg
        if op == "-":
            return arg if current is None else current
        if op in (":?", "?") and (current is None or (op == ":?" and current == "")):
            raise MissingVariable(f"{name}: {arg}")
        return current or ""

    return INTERPOLATION.sub(substitute, value)


def command_argv(command) -> list[str]:
    return list(command) if isinstance(command, list) else shlex.split(command)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions, pending = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "The Dockerfile ends in a continuation line."
    return instructions


def dockerfile_cmd() -> list[str]:
    cmds = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "CMD"]
    assert cmds, "The Dockerfile has no CMD."
    argv = json.loads(cmds[-1])  # exec form, so that gunicorn is PID 1 and gets the stop signal
    assert isinstance(argv, list)
    return argv


def option(argv: list[str], *names: str) -> str | None:
    """The value of a command-line option, given as `--name value` or `--name=value`."""
    for i, arg in enumerate(argv):
        for name in names:
            if arg == name and i + 1 < len(argv):
                return argv[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


@pytest.fixture(scope="module")
def services() -> dict:
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    return compose["services"]


@pytest.fixture(scope="module")
def volumes() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text()).get("volumes") or {}


@pytest.fixture(scope="module")
def image_services(services) -> dict:
    """The services that run the app image (web, worker, beat and a one-shot migrate)."""
    found = {name: service for name, service in services.items() if "build" in service}
    assert set(APP_SERVICES) <= set(found), "web, worker and beat must all run the image built from this project."
    return found


@pytest.fixture(scope="module")
def app_env(services) -> dict[str, str]:
    environment = services["web"]["environment"]
    assert isinstance(environment, dict), "Write the environment as a mapping, so that it can be checked."
    return {name: interpolate(str(value), HOST_ENV) for name, value in environment.items()}


def settings_reads(kind: str | None = None) -> set[str]:
    return {name for found_kind, name in SETTINGS_READ.findall(SETTINGS_FILE.read_text()) if kind in (None, found_kind)}


# --- Services, healthchecks and start order ------------------------------------------------------------------


def test_the_five_services_exist(services):
    assert set(FIVE_SERVICES) <= set(services)


@pytest.mark.parametrize("name", HEALTHCHECKED)
def test_service_has_a_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck, so nothing can wait for it to be ready."
    assert not healthcheck.get("disable", False)
    test = healthcheck["test"]
    assert isinstance(test, list) and test[0] in ("CMD", "CMD-SHELL") and len(test) > 1


def test_postgres_healthcheck_asks_pg_isready_as_the_app_user(services):
    postgres = services["postgres"]
    argv = command_argv(" ".join(postgres["healthcheck"]["test"][1:]))
    assert argv[0] == "pg_isready"
    assert option(argv, "-U", "--username") == postgres["environment"]["POSTGRES_USER"]
    assert option(argv, "-d", "--dbname") == postgres["environment"]["POSTGRES_DB"]


def test_redis_healthcheck_pings(services):
    assert command_argv(" ".join(services["redis"]["healthcheck"]["test"][1:])) == ["redis-cli", "ping"]


def test_web_healthcheck_asks_the_healthz_view_on_an_allowed_host(services, app_env):
    test = " ".join(services["web"]["healthcheck"]["test"][1:])
    match = re.search(r"http://([^/:\"']+):(\d+)(/[^\"'\s]*)", test)
    assert match, f"No URL in the web healthcheck: {test}"
    host, port, path = match.groups()
    assert port == option(dockerfile_cmd(), "--bind", "-b").rsplit(":", 1)[1]
    assert host in app_env["ALLOWED_HOSTS"].split(","), "Django would answer the healthcheck with 400."
    view = resolve(path).func
    # Set by @login_not_required: LoginRequiredMiddleware would otherwise redirect the healthcheck to the sign-in.
    assert getattr(view, "login_required", True) is False, f"{path} is behind the sign-in."


def test_worker_healthcheck_pings_its_own_celery_node(services):
    argv = command_argv(" ".join(services["worker"]["healthcheck"]["test"][1:]))
    assert argv[0] == "celery"
    assert option(argv, "-A", "--app") == "verify"
    assert "inspect" in argv and "ping" in argv


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_postgres_and_redis(services, name):
    depends_on = services[name].get("depends_on")
    assert isinstance(depends_on, dict), f"{name}: depends_on must be a mapping with conditions."
    for backing in BACKING_SERVICES:
        assert backing in depends_on, f"{name} does not wait for {backing}."
        assert depends_on[backing].get("condition") == "service_healthy", f"{name} starts before {backing} is ready."


def test_migrations_run_once_before_the_app_starts(services):
    migrators = [
        name for name, service in services.items() if "migrate" in command_argv(service.get("command") or [])[1:3]
    ]
    assert len(migrators) == 1, f"Expected one one-shot migrate service, found {migrators}."
    migrate = services[migrators[0]]
    assert command_argv(migrate["command"])[:3] == ["python", "manage.py", "migrate"]
    assert "--noinput" in command_argv(migrate["command"])
    assert str(migrate.get("restart", "no")) == "no", "A one-shot service must not be restarted once it has finished."
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in APP_SERVICES:
        condition = services[name]["depends_on"].get(migrators[0], {}).get("condition")
        assert condition == "service_completed_successfully", f"{name} may start against an unmigrated database."


# --- The processes each service runs ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_celery_services_name_the_verify_app(services, name, subcommand):
    argv = command_argv(services[name]["command"])
    assert argv[0] == "celery"
    assert option(argv, "-A", "--app") == "verify"
    assert subcommand in argv[1:]


def test_the_celery_app_named_by_the_commands_exists():
    celery_module = importlib.import_module("verify.celery")
    assert celery_module.app.main == "verify"
    # What `celery -A verify` itself resolves to.
    assert find_app("verify") is celery_module.app


def test_beat_keeps_its_schedule_outside_the_code(services):
    schedule = option(command_argv(services["beat"]["command"]), "--schedule", "-s")
    assert schedule and schedule.startswith("/data/"), "The code directory is read-only to the app user."


def test_dockerfile_cmd_runs_gunicorn_on_the_wsgi_app():
    argv = dockerfile_cmd()
    assert argv[:2] == ["gunicorn", "verify.wsgi:application"]
    assert option(argv, "--bind", "-b") == "0.0.0.0:8000"
    assert option(argv, "--workers", "-w") == "3"
    assert option(argv, "--timeout", "-t") == "120"


def test_web_runs_the_wsgi_app(services):
    argv = command_argv(services["web"].get("command") or dockerfile_cmd())
    assert "verify.wsgi:application" in argv


def test_the_wsgi_app_is_importable():
    module_name, _, attribute = dockerfile_cmd()[1].partition(":")
    application = getattr(importlib.import_module(module_name), attribute)
    assert callable(application)


def test_the_programs_the_image_runs_are_requirements():
    requirements = {
        re.split(r"[\[=<>~! ;]", line.strip(), maxsplit=1)[0].lower()
        for line in REQUIREMENTS_FILE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {"gunicorn", "celery", "python-magic"} <= requirements


# --- The image -------------------------------------------------------------------------------------------------


def test_dockerfile_builds_a_non_root_image_from_the_lock():
    instructions = dockerfile_instructions()
    args = {keyword: [a for k, a in instructions if k == keyword] for keyword, _ in instructions}
    assert args["FROM"] == ["python:3.11-slim-bookworm"]
    assert any("libmagic1" in run for run in args["RUN"]), "python-magic needs libmagic at run time."
    pip = [run for run in args["RUN"] if "pip install" in run]
    assert pip and "-r requirements.txt" in pip[0] and "-c constraints.txt" in pip[0]
    assert any("manage.py collectstatic" in run for run in args["RUN"])
    assert args["USER"][-1].split(":")[0] not in ("root", "0"), "The app must not run as root."
    assert "8000" in args["EXPOSE"][-1].split()
    copied = " ".join(args["COPY"])
    assert "requirements.txt" in copied and "constraints.txt" in copied
    for local_state in (".venv", "var"):
        assert f"--exclude={local_state} " in copied, f"A developer's {local_state}/ would end up in the image."


def test_image_evidence_volume_matches_compose(app_env):
    instructions = dockerfile_instructions()
    volumes = [json.loads(a) if a.startswith("[") else a.split() for k, a in instructions if k == "VOLUME"]
    assert [app_env["EVIDENCE_ROOT"]] in volumes


# --- Environment ------------------------------------------------------------------------------------------------


def test_settings_scan_finds_the_variables():
    # Guards the regex: if it matched nothing, the next test would pass whatever compose set.
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "ALLOWED_HOSTS"} <= settings_reads()


def test_every_app_variable_is_read_by_the_settings(image_services):
    read = settings_reads()
    for name, service in image_services.items():
        unknown = set(service.get("environment") or {}) - read
        assert not unknown, f"{name} sets {sorted(unknown)}, which verify/settings.py never reads."
        assert "env_file" not in service, f"{name}: an env_file would set variables that are not checked here."


def test_app_services_share_one_environment(image_services):
    environments = {name: service.get("environment") for name, service in image_services.items()}
    first = environments["web"]
    assert all(env == first for env in environments.values()), "Services would disagree about the database."


def test_app_variables_are_strings_and_booleans_parse(services):
    environment = services["web"]["environment"]
    assert all(isinstance(value, str) for value in environment.values()), "Quote values: YAML turns no/on to booleans."
    for name in settings_reads("bool") & set(environment):
        value = interpolate(environment[name], HOST_ENV).strip().lower()
        assert value in TRUE_VALUES | FALSE_VALUES, f"{name}={value!r} would stop the settings from loading."


def test_production_switches(services, app_env):
    assert app_env["DEBUG"] in FALSE_VALUES - {""}
    with pytest.raises(MissingVariable):
        interpolate(services["web"]["environment"]["SECRET_KEY"], {})
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        assert app_env.get(name, "1") in TRUE_VALUES, f"{name} must keep its secure default."


def test_database_url_points_at_the_postgres_service(services, app_env):
    postgres = services["postgres"]["environment"]
    url = urlsplit(app_env["DATABASE_URL"])
    assert url.scheme in ("postgres", "postgresql")
    assert url.hostname == "postgres"
    assert url.port in (None, 5432)
    assert url.username == postgres["POSTGRES_USER"]
    assert url.password == postgres["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == postgres["POSTGRES_DB"]
    assert dj_database_url.parse(app_env["DATABASE_URL"])["ENGINE"] == "django.db.backends.postgresql"


def test_broker_url_points_at_the_redis_service(app_env):
    url = urlsplit(app_env["CELERY_BROKER_URL"])
    assert url.scheme == "redis"
    assert url.hostname == "redis"
    assert url.port in (None, 6379)


# --- Volumes ----------------------------------------------------------------------------------------------------


def mounts(service: dict) -> dict[str, str]:
    """target -> source for the service's volumes (short syntax)."""
    found = {}
    for volume in service.get("volumes") or []:
        source, target = volume.split(":")[:2]
        found[target] = source
    return found


def test_web_and_worker_share_the_evidence_volume(services, volumes, app_env):
    evidence_root = app_env["EVIDENCE_ROOT"]
    web_source = mounts(services["web"]).get(evidence_root)
    worker_source = mounts(services["worker"]).get(evidence_root)
    assert web_source, "web stores evidence outside any volume: it would be lost with the container."
    assert web_source == worker_source, "The worker would not see the files that web stored."
    assert web_source in volumes, "Use a named volume, declared at the top level."


def test_postgres_data_is_a_named_volume(services, volumes):
    source = mounts(services["postgres"]).get("/var/lib/postgresql/data")
    assert source in volumes


# --- Queues -------------------------------------------------------------------------------------------------------


def worker_services(services) -> dict[str, list[str]]:
    """name -> the queues its `celery worker` consumes."""
    found = {}
    for name, service in services.items():
        argv = command_argv(service.get("command") or [])
        if argv[:1] == ["celery"] and "worker" in argv:
            queues = option(argv, "-Q", "--queues")
            found[name] = queues.split(",") if queues else [settings.CELERY_TASK_DEFAULT_QUEUE]
    return found


def routed_queues() -> set[str]:
    return {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}


def test_bulk_work_has_queues_of_its_own():
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"
    assert {"processing", "fixity", "imports"} <= routed_queues()


def test_every_queue_is_consumed_by_some_worker(services):
    consumed = {queue for queues in worker_services(services).values() for queue in queues}
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    missing = (routed_queues() | declared | {settings.CELERY_TASK_DEFAULT_QUEUE}) - consumed
    assert not missing, f"No compose worker consumes {sorted(missing)}: those tasks would wait forever."


def test_evidence_processing_and_imports_are_served_by_different_workers(services):
    workers = worker_services(services)
    serving = {q: {name for name, queues in workers.items() if q in queues} for q in ("processing", "imports")}
    assert serving["processing"] and serving["imports"]
    assert not serving["processing"] & serving["imports"], "A large import would hold up evidence processing again."


def test_every_worker_reads_the_evidence_and_import_files_and_answers_its_healthcheck(services, app_env):
    web = mounts(services["web"])
    for name in worker_services(services):
        for root in (app_env["EVIDENCE_ROOT"], app_env["IMPORT_ROOT"]):
            assert mounts(services[name]).get(root) == web[root], f"{name} would not see the files web stored."
        argv = command_argv(" ".join(services[name]["healthcheck"]["test"][1:]))
        assert argv[0] == "celery" and "ping" in argv
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


# --- Several replicas (README, Deployment) ------------------------------------------------------------------------


def test_web_listens_on_8000_by_default_and_on_a_range_when_scaled(services):
    (published,) = services["web"]["ports"]
    assert interpolate(published, HOST_ENV) == "127.0.0.1:8000:8000"
    assert interpolate(published, {**HOST_ENV, "WEB_PORTS": "8000-8003"}) == "127.0.0.1:8000-8003:8000"


@pytest.mark.parametrize("name", ["web", "worker", "worker-bulk"])
def test_scaled_services_have_no_fixed_name(services, name):
    # `docker compose up --scale NAME=N` refuses a service with a container_name.
    assert "container_name" not in services[name]


def test_every_cache_follows_the_broker_to_redis(app_env):
    """Several web processes (gunicorn's, and each replica's) share throttles and progress: the caches are in the
    compose file's Redis because its broker is."""
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps({n: [c['BACKEND'], c.get('LOCATION')] for n, c in settings.CACHES.items()}))"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "verify.settings", **app_env}
    env.pop("EVIDENCE_ROOT", None)  # /data does not exist here; nothing is written at import time anyway
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    caches = json.loads(result.stdout)
    assert {backend for backend, _ in caches.values()} == {"django.core.cache.backends.redis.RedisCache"}
    assert {location for _, location in caches.values()} == {app_env["CELERY_BROKER_URL"]}
