"""Settings for verify, read from the environment.

Production differs from development only through environment variables; see README.md for the table.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from verify.core.env import env_bool, env_int, env_list, env_str
from verify.core.tiles import tile_csp_source

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VERIFY_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
# Demo mode loads and prints the demo sign-ins. It is only ever on when asked for.
DEMO_MODE = env_bool("VERIFY_DEMO", default=False)

# Without DEBUG there is no fallback key. Django refuses every use of an empty key (sessions, CSRF, signing), and
# the WSGI application checks it at start-up, so nothing serves without one; commands that sign nothing, such as
# makemigrations, still run.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "verify.core.admin_apps.VerifyAdminConfig",  # the admin, for active superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "verify.core",
    "verify.accounts",
    "verify.gazetteer",
    "verify.incidents",
    "verify.claims",
    "verify.evidence",
    "verify.review",
    "verify.maps",
    "verify.imports",
    "verify.suggestions",
    "verify.casefiles",
    "verify.web",
    "verify.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "verify.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the cookie or the browser; the person's saved choice wins once they are known (below).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "verify.accounts.client.CurrentRequestMiddleware",
    "verify.accounts.language.UserLanguageMiddleware",
    # After authentication, so that it knows whose page this is; outermost of the rest, so that it sees every answer.
    "verify.core.middleware.PrivateCacheMiddleware",
    # Nothing is visible without signing in: views opt out explicitly with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "verify.accounts.middleware.IdleTimeoutMiddleware",
    "verify.accounts.middleware.MFARequiredMiddleware",
]

ROOT_URLCONF = "verify.urls"
WSGI_APPLICATION = "verify.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "verify.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# With no DATABASE_URL, an embedded SQLite file under var/ so that `make run` needs nothing else.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DATABASE_JIT", False):
        # PostgreSQL's JIT compiles any plan whose estimated cost passes jit_above_cost (100,000): the list's
        # queries at 100,000 incidents do, and compiling took 100-170 ms of a query that runs in 5-40 ms
        # (EXPLAIN ANALYZE "JIT: Timing"; bench/README.md). Our requests are short OLTP reads: JIT never pays.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    # A fresh clone has no var/ yet: SQLite cannot create the file without its directory.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "verify.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # A file, not memory, for tests too: an in-memory database is one connection shared by every thread
            # of the browser tests' live server, and concurrent requests on it can deadlock.
            "TEST": {"NAME": VAR_DIR / "test-verify.sqlite3"},
        }
    }
# An optional read replica for the list, map data, timeline and exports (verify/core/routers.py). Writes, and reads
# by the same browser for REPLICA_PIN_SECONDS after a write, stay on the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL: a replica of which primary?")
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
    # The test run uses the primary's test database for both, unless a test names its own replica.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["verify.core.routers.ReplicaRouter"]
    MIDDLEWARE.insert(1, "verify.core.routers.ReplicaPinMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True
FORM_RENDERER = "verify.core.forms.FormRenderer"

# --- Auth -----------------------------------------------------------------------------------
# Sign-in, second factors, re-authentication and sessions come from django-allauth; see docs/security/accounts.md.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # allauth's, with permissions read in one query
    "verify.core.permissions.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")

ACCOUNT_ADAPTER = "verify.accounts.adapter.AccountAdapter"  # no public sign-up: admins invite people
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = True  # sessions last SESSION_COOKIE_AGE, cut short by SESSION_IDLE_TIMEOUT
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
# Password or second factor within this many seconds before exports, restricting incidents, managing users.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("REAUTHENTICATION_TIMEOUT", 600)
# Deliberately not read from the environment: only the test suite's default fixture turns it off.
SENSITIVE_ACTION_REAUTHENTICATION = True
# Failed sign-ins are limited per address and, separately, per username (see the lockout note below).
LOGIN_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 10)
LOGIN_USERNAME_COOLOFF = env_int("LOGIN_USERNAME_COOLOFF", 5 * 60)  # seconds
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"20/m/ip,{LOGIN_USERNAME_FAILURE_LIMIT}/{LOGIN_USERNAME_COOLOFF}s/key",
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "verify"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # passkeys on http://localhost during development only
# Signed-in people in these roles must enrol a second factor before doing anything else.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", ["Admin", "Reviewer"])
# Last seen time and address are kept by verify.accounts.middleware.IdleTimeoutMiddleware, once a minute at most.
USERSESSIONS_TRACK_ACTIVITY = False
# Signed out after this many seconds without a request.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
# Behind the TLS proxy the client address is the last one the proxy appended to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_TLS_PROXY else 0

# Brute force: the address and the username are counted separately, so that nobody can lock someone else out.
# - An address (read through the proxy) is locked for AXES_COOLOFF_TIME after AXES_FAILURE_LIMIT failures,
#   whatever usernames it tried: django-axes, stored in the database.
# - A username is throttled (not locked) for LOGIN_USERNAME_COOLOFF seconds after LOGIN_USERNAME_FAILURE_LIMIT
#   failures from any addresses: allauth's login_failed rate limit. Set it above the address limit, so that one
#   address alone cannot throttle its victim; a second factor protects against what slips through.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "verify.accounts.client.client_ip"
AXES_RESET_ON_SUCCESS = True
# The lockout page (templates/accounts/locked_out.html) says when the lock ends and links back to sign in.
AXES_LOCKOUT_CALLABLE = "verify.accounts.lockout.lockout_response"
AXES_VERBOSE = False

# --- Audit log ------------------------------------------------------------------------------
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365)
# This many denied looks at restricted records by one person within the window alerts the admins.
AUDIT_DENIAL_ALERT_THRESHOLD = env_int("AUDIT_DENIAL_ALERT_THRESHOLD", 5)
AUDIT_DENIAL_WINDOW = env_int("AUDIT_DENIAL_WINDOW", 15 * 60)  # seconds

# --- Internationalisation -------------------------------------------------------------------
# Every message is marked for translation; locale/ar holds the complete Arabic catalog (compiled .mo files are
# committed, and tests/core/test_translations.py fails when they are stale, untranslated or fuzzy).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "verify_language"
LANGUAGE_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Dates with month names in the reader's language, and one decimal point for both (verify/formats).
FORMAT_MODULE_PATH = ["verify.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and evidence storage ------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))

# Evidence is never served from a public URL: the storage has no base URL, and originals
# are only streamed by a permission-checked view.
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", str(VAR_DIR / "evidence")))
EVIDENCE_STORAGE = env_str("EVIDENCE_STORAGE", "filesystem")
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_BYTES", 2 * 1024**3)
if EVIDENCE_STORAGE == "filesystem":
    _evidence_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": EVIDENCE_ROOT, "base_url": None, "file_permissions_mode": 0o440},
    }
elif EVIDENCE_STORAGE == "s3":
    _evidence_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("EVIDENCE_S3_BUCKET"),
            "endpoint_url": env_str("EVIDENCE_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"EVIDENCE_STORAGE={EVIDENCE_STORAGE!r}: use 'filesystem' or 's3'.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "evidence": _evidence_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR") or None

# --- Celery ---------------------------------------------------------------------------------
# With no broker configured, tasks run in-process so that `make run` needs nothing else.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# One queue per kind of work, so that a large import's recomputation cannot hold up an evidence upload's processing.
# docker-compose.yml runs `worker` on default and processing and `worker-bulk` on imports and fixity (checked by
# tests/test_compose.py); a single `celery worker -Q default,processing,fixity,imports` serves everything.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = tuple(Queue(name) for name in ("default", "processing", "fixity", "imports"))
CELERY_TASK_ROUTES = {
    "verify.evidence.tasks.process*": {"queue": "processing"},
    "verify.evidence.tasks.fixity*": {"queue": "fixity"},
    "verify.evidence.tasks.capture*": {"queue": "processing"},
    "verify.imports.tasks.*": {"queue": "imports"},
    "verify.claims.tasks.*": {"queue": "imports"},
    "verify.incidents.tasks.*": {"queue": "imports"},
    "verify.suggestions.tasks.*": {"queue": "default"},
    "verify.accounts.tasks.*": {"queue": "default"},
    # Case files read gigabytes of evidence: bulk work, beside imports.
    "verify.casefiles.tasks.*": {"queue": "imports"},
}
CELERY_BEAT_SCHEDULE = {
    "fixity-sweep": {
        "task": "verify.evidence.tasks.fixity_sweep",
        "schedule": crontab(minute=15),
    },
}
# How many evidence files one fixity sweep re-hashes, least recently checked first.
FIXITY_BATCH_SIZE = env_int("FIXITY_BATCH_SIZE", 200)
# Audit events older than AUDIT_RETENTION_DAYS are deleted nightly.
CELERY_BEAT_SCHEDULE["audit-prune"] = {
    "task": "verify.accounts.tasks.audit_prune",
    "schedule": crontab(hour=3, minute=40),
}

# --- Evidence processing --------------------------------------------------------------------
# Types accepted as evidence, as sniffed from the bytes (python-magic), never as claimed by the file name.
# HTML and SVG are accepted (web captures, graphics) but always downloaded as attachments, never rendered.
EVIDENCE_ALLOWED_MIME_TYPES = env_list(
    "EVIDENCE_ALLOWED_MIME_TYPES",
    [
        *["image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/bmp", "image/heic"],
        *["image/heif", "image/svg+xml"],
        *["video/mp4", "video/quicktime", "video/webm", "video/x-matroska", "video/x-msvideo", "video/mpeg"],
        *["video/3gpp", "audio/mpeg", "audio/x-wav", "audio/wav", "audio/ogg", "audio/flac", "audio/x-flac"],
        *["audio/mp4", "audio/x-m4a", "audio/aac", "audio/webm", "application/pdf", "text/plain", "text/csv"],
        *["text/html", "application/json", "application/warc", "message/rfc822", "application/rtf", "text/rtf"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/msword",
    ],
)
# Images with more pixels are refused as possible decompression bombs (Pillow's own default limit).
EVIDENCE_MAX_IMAGE_PIXELS = env_int("EVIDENCE_MAX_IMAGE_PIXELS", 89_478_485)
EVIDENCE_THUMBNAIL_SIZE = env_int("EVIDENCE_THUMBNAIL_SIZE", 480)
# Two images whose perceptual hashes differ in at most this many of 64 bits are flagged as near duplicates.
EVIDENCE_NEAR_DUPLICATE_DISTANCE = env_int("EVIDENCE_NEAR_DUPLICATE_DISTANCE", 8)
# Items still pending this long after being queued are re-queued by the sweep (e.g. after a broker outage).
EVIDENCE_PROCESSING_RETRY_AFTER = env_int("EVIDENCE_PROCESSING_RETRY_AFTER", 10 * 60)
# Temporary upload files older than this are left over from a crash and removed by the sweep.
EVIDENCE_TMP_MAX_AGE = env_int("EVIDENCE_TMP_MAX_AGE", 24 * 3600)
CELERY_BEAT_SCHEDULE["evidence-processing-sweep"] = {
    "task": "verify.evidence.tasks.processing_sweep",
    "schedule": crontab(minute="*/5"),
}

# Videos and sounds (ffprobe/ffmpeg): larger files are kept but not analysed; each tool run has a time limit.
EVIDENCE_MEDIA_MAX_BYTES = env_int("EVIDENCE_MEDIA_MAX_BYTES", 1024**3)
EVIDENCE_FFMPEG_TIMEOUT = env_int("EVIDENCE_FFMPEG_TIMEOUT", 300)
EVIDENCE_MAX_KEYFRAMES = env_int("EVIDENCE_MAX_KEYFRAMES", 12)
# Two videos are near duplicates when at least this many keyframes of one match keyframes of the other.
EVIDENCE_VIDEO_MATCHING_KEYFRAMES = env_int("EVIDENCE_VIDEO_MATCHING_KEYFRAMES", 2)

# OCR (Tesseract): languages joined by "+", the most pages read of one PDF, and a time limit for one page.
EVIDENCE_OCR_LANGUAGES = env_str("EVIDENCE_OCR_LANGUAGES", "eng+ara")
EVIDENCE_OCR_MAX_PAGES = env_int("EVIDENCE_OCR_MAX_PAGES", 20)
EVIDENCE_OCR_TIMEOUT = env_int("EVIDENCE_OCR_TIMEOUT", 120)

# --- Web capture (docs/evidence-capture.md) -------------------------------------------------------------------
# Tests only: let captures reach loopback and private addresses (never link-local or cloud metadata ones).
CAPTURE_ALLOW_PRIVATE = env_bool("CAPTURE_ALLOW_PRIVATE", False)
# Optional: only these domains (and their subdomains) may be captured; these never may, nor loaded by a page.
CAPTURE_ALLOW_DOMAINS = env_list("CAPTURE_ALLOW_DOMAINS", [])
CAPTURE_DENY_DOMAINS = env_list("CAPTURE_DENY_DOMAINS", [])
CAPTURE_MAX_BYTES = env_int("CAPTURE_MAX_BYTES", 500 * 1024 * 1024)  # everything one capture fetches
CAPTURE_TIMEOUT = env_int("CAPTURE_TIMEOUT", 90)  # seconds for one capture, from launch to the last file
CAPTURE_REQUEST_TIMEOUT = env_int("CAPTURE_REQUEST_TIMEOUT", 30)
CAPTURE_MAX_REDIRECTS = env_int("CAPTURE_MAX_REDIRECTS", 10)
CAPTURE_MAX_REQUESTS = env_int("CAPTURE_MAX_REQUESTS", 500)
# Embedded images, videos and sounds at least this large are kept as evidence items of their own.
CAPTURE_MEDIA_MIN_BYTES = env_int("CAPTURE_MEDIA_MIN_BYTES", 20 * 1024)
CAPTURE_MAX_URLS = env_int("CAPTURE_MAX_URLS", 20)  # URLs in one request
CAPTURE_USER_AGENT = env_str("CAPTURE_USER_AGENT", "")  # empty: the browser's own

# --- Cross-checking ------------------------------------------------------------------------
# Two claims' places disagree when they are further apart than both precision radii plus this margin.
CROSSCHECK_PLACE_MARGIN_M = env_int("CROSSCHECK_PLACE_MARGIN_M", 0)
# Two incidents are possible duplicates when their date windows, widened by their date precision, overlap
# and they lie within the larger of their precision radii plus this margin.
DUPLICATE_MARGIN_M = env_int("DUPLICATE_MARGIN_M", 2_000)

# --- Map and exports ------------------------------------------------------------------------
# Map tiles: any XYZ tile server. Leave MAP_TILE_URL empty for a blank background (offline use): nothing on
# the map depends on tiles loading. The CSP img-src allows the tile server's origin and nothing else.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")
MAP_TILE_CSP = [tile_csp_source(MAP_TILE_URL)] if MAP_TILE_URL else []
# A self-hosted vector basemap: a PMTiles file (docs/basemap.md says how to make one for a region), served by the
# app to signed-in users at /map/basemap.pmtiles and drawn with protomaps-leaflet. Empty: none. Under either, the
# vendored Natural Earth borders, Syria's governorates and the gazetteer's towns are always drawn (offline too).
MAP_PMTILES_PATH = env_str("MAP_PMTILES_PATH", "")
MAP_PMTILES_ATTRIBUTION = env_str("MAP_PMTILES_ATTRIBUTION", "&copy; OpenStreetMap contributors")
# The map data endpoint sends single incidents up to this many, then grid clusters of about
# MAP_CLUSTER_CELL_PX pixels at the map's zoom, never more than MAP_MAX_CLUSTERS of them.
MAP_MAX_FEATURES = env_int("MAP_MAX_FEATURES", 1000)
MAP_CLUSTER_CELL_PX = env_int("MAP_CLUSTER_CELL_PX", 60)
MAP_MAX_CLUSTERS = env_int("MAP_MAX_CLUSTERS", 400)
MAP_DEFAULT_ZOOM = 7
# Incidents fetched per query (with their claims) while an export streams.
EXPORT_CHUNK_SIZE = env_int("EXPORT_CHUNK_SIZE", 1000)

# --- Imports --------------------------------------------------------------------------------
# Uploaded import files are private (never served by URL) and deleted once their import is decided.
IMPORT_ROOT = Path(env_str("IMPORT_ROOT", str(VAR_DIR / "imports")))
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 500 * 1024**2)
# The largest PDF or pasted report that claim suggestions will read.
SUGGEST_MAX_PDF_BYTES = env_int("SUGGEST_MAX_PDF_BYTES", 20 * 1024**2)
# Jobs whose task was lost (broker down, worker killed) are queued again; both import tasks are idempotent.
CELERY_BEAT_SCHEDULE["import-sweep"] = {"task": "verify.imports.tasks.import_sweep", "schedule": crontab(minute="*/10")}
# Reports read for claim suggestions and never accepted are removed after a day.
CELERY_BEAT_SCHEDULE["suggestions-report-sweep"] = {
    "task": "verify.suggestions.tasks.report_sweep",
    "schedule": crontab(minute=25),
}
# --- Case files -----------------------------------------------------------------------------
# Signed ZIPs of incidents and their evidence for legal use (docs/casefiles.md). Kept privately under
# CASEFILE_ROOT (never served by URL) for CASEFILE_KEEP_HOURS, then removed by the sweep.
CASEFILE_ROOT = Path(env_str("CASEFILE_ROOT", str(VAR_DIR / "casefiles")))
# The Ed25519 private key (PEM) that signs every manifest; `make run` creates a development one.
CASEFILE_SIGNING_KEY = env_str("CASEFILE_SIGNING_KEY", str(VAR_DIR / "casefile-signing-key.pem"))
# An admin approves each request before it is built (Bayanat's model); unapproved requests expire.
CASEFILE_REQUIRE_APPROVAL = env_bool("CASEFILE_REQUIRE_APPROVAL", default=False)
CASEFILE_REQUEST_TTL_HOURS = env_int("CASEFILE_REQUEST_TTL_HOURS", 72)
CASEFILE_KEEP_HOURS = env_int("CASEFILE_KEEP_HOURS", 7 * 24)
CASEFILE_MAX_INCIDENTS = env_int("CASEFILE_MAX_INCIDENTS", 100)
# A build of many gigabytes outlasts the default task limit: its own hard limit, after which the sweep calls it
# interrupted.
CASEFILE_TASK_TIME_LIMIT = env_int("CASEFILE_TASK_TIME_LIMIT", 4 * 3600)
CELERY_BEAT_SCHEDULE["casefile-sweep"] = {
    "task": "verify.casefiles.tasks.casefile_sweep_task",
    "schedule": crontab(minute="*/30"),
}

# --- Caches ---------------------------------------------------------------------------------
# Every cache (the default one, which holds allauth's sign-in rate limits and used TOTP codes, DRF's API throttles
# and the cached filter choices; and "imports", which holds import progress) lives in Redis when Redis is
# configured, so that several web processes, machines and workers agree. REDIS_CACHE_URL names it; without it, the
# broker's Redis. Without Redis (`make run`), each process keeps its own in memory. The import's own database
# writes stay invisible until its single transaction commits: its progress is only ever in the cache.
REDIS_CACHE_URL = env_str("REDIS_CACHE_URL") or (
    env_str("CELERY_BROKER_URL") if env_str("CELERY_BROKER_URL").startswith(("redis://", "rediss://")) else ""
)
if REDIS_CACHE_URL:
    # Keys carry a prefix: the Redis database may be the broker's, and tests clear only what is theirs.
    CACHES = {
        name: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": f"verify-{name}",
            # A Redis that stops answering fails a request in seconds rather than hanging it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
        for name in ("default", "imports")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "imports": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "imports"},
    }

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # A token first, so that a request with neither is answered 401 with WWW-Authenticate (verify/api).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "verify.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["verify.api.permissions.SignedInAndTokenScope"],
    "DEFAULT_SCHEMA_CLASS": "verify.api.views.base.VerifySchema",
    "DEFAULT_PAGINATION_CLASS": None,  # keyset pagination, verify/api/pagination.py
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "verify.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "verify.api.throttling.TokenRateThrottle",
        "verify.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_RATE_TOKEN", "600/min"),
        "token_write": env_str("API_RATE_TOKEN_WRITE", "120/min"),
        "user": env_str("API_RATE_USER", "600/min"),
        "user_write": env_str("API_RATE_USER_WRITE", "120/min"),
    },
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "verify API",
    "VERSION": "1.0.0",
    "DESCRIPTION": "Incidents, claims, sources, review and map data. Every error is JSON: code, message, errors.",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["verify.api.permissions.SignedInAndTokenScope"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package, served as our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, where fields of the same name hold different sets.
    "ENUM_NAME_OVERRIDES": {
        "SourceKindEnum": "verify.claims.models.Source.Kind",
        "ActorKindEnum": "verify.claims.models.Actor.Kind",
        "EvidenceKindEnum": "verify.evidence.models.EvidenceKind",
        "IncidentStatusEnum": "verify.incidents.models.Status",
        "ImportStatusEnum": "verify.imports.models.ImportStatus",
        "DatePrecisionEnum": "verify.core.choices.DatePrecision",
        "GradeEnum": "verify.incidents.models.Grade",
        "ReliabilityEnum": "verify.core.choices.Reliability",
        "FinalGradeEnum": ["confirmed", "fair", "weak", "contested", "discounted"],
        "UploadStatusEnum": ["stored", "duplicate"],
    },
}

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every page's JavaScript is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MAP_TILE_CSP],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

VERIFY_REFERENCE_PREFIX = env_str("VERIFY_REFERENCE_PREFIX", "SYR")
