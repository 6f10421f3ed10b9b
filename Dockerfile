# syntax=docker/dockerfile:1.19
# (1.19 or later for COPY --exclude, below.)
#
# One image for every process: gunicorn (the default CMD), the Celery worker, Celery beat and migrations.
# docker-compose.yml picks the process per service.
FROM python:3.11-slim-bookworm

# EVIDENCE_ROOT: evidence originals, a volume (docker-compose.yml shares it between web and worker).
# VERIFY_VAR_DIR: anything else the app writes at run time (the default media storage; SQLite if no DATABASE_URL).
# STATIC_ROOT: collected at build time, served by WhiteNoise, read-only at run time.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    EVIDENCE_ROOT=/data/evidence \
    IMPORT_ROOT=/data/imports \
    VERIFY_VAR_DIR=/data/var \
    STATIC_ROOT=/app/staticfiles

# python-magic loads libmagic at run time; WeasyPrint (case-file reports) needs Pango and a font with Arabic. Not pinned: Debian's security updates should come with each rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmagic1 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The app runs as an unprivileged user. The code stays owned by root, so the app cannot rewrite itself;
# only /data is the app's. A named volume mounted on /data/evidence starts out with this ownership.
RUN groupadd --system --gid 10001 verify \
    && useradd --system --uid 10001 --gid verify --home-dir /app --no-create-home --shell /usr/sbin/nologin verify \
    && mkdir -p /app /data/evidence /data/imports /data/var /data/casefiles /data/keys \
    && chown -R verify:verify /data

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. constraints.txt is the full lock.
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt

# The project, without local state: no virtualenv, no SQLite database or evidence from a developer's var/.
COPY --exclude=.git --exclude=.venv --exclude=var --exclude=**/__pycache__ --exclude=**/*.pyc \
     --exclude=node_modules --exclude=test-results --exclude=.pytest_cache --exclude=.ruff_cache \
     --exclude=.hypothesis --exclude=bench/out --exclude=.env . .

# The key only lets the settings load for collectstatic; it is not kept in the image.
RUN SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput

# Numeric, so that a runtime can tell it is not root (e.g. Kubernetes runAsNonRoot): the verify user above.
USER 10001:10001

VOLUME ["/data/evidence"]
EXPOSE 8000

# Threaded workers: the timeout is a heartbeat, not a cap on one request, so a 2 GiB upload over a slow link is
# not cut off while it streams to disk.
CMD ["gunicorn", "verify.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--timeout", "120"]
