"""Every setting lives here; local/test/production override only what they must.

With no environment at all the system runs on embedded defaults: a SQLite database, Celery on kombu's
SQLAlchemy transport over a SQLite file, local-memory cache, console e-mail and a local MLflow store,
everything under one data folder (LEGALNAME_DATA_DIR, ``var/`` by default).
"""

import ipaddress
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

# Everything the application writes lives under DATA_DIR.
DATA_DIR = Path(env("LEGALNAME_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
MODELS_DIR = DATA_DIR / "models"
MEDIA_ROOT = str(DATA_DIR / "media")
MEDIA_URL = "/media/"

# GENERAL
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me-0123456789abcdef")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-gb"
# ISO dates and 24-hour times on every page and in the admin (one place: legalname/common/formats).
FORMAT_MODULE_PATH = ["legalname.common.formats"]
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# DATABASES
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web, worker and beat processes read while one writes; wait instead of failing on a lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# URLS
ROOT_URLCONF = "legalname.urls"
WSGI_APPLICATION = "legalname.wsgi.application"

# APPS
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = [
    "django_prometheus",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc as local static files (no CDN)
    "django_celery_beat",
]
LOCAL_APPS = [
    "accounts",
    "models_registry",
    "comparisons",
    "feedback",
    "experiments",
    "analytics",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTH
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# MIDDLEWARE
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Errors under /api/ are JSON in every setting, DEBUG included; outside the middleware below, to cover them too.
    "legalname.common.middleware.ApiJsonErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "legalname.common.middleware.ApiRequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# STATIC
STATIC_ROOT = str(DATA_DIR / "staticfiles")
Path(STATIC_ROOT).mkdir(exist_ok=True)
STATIC_URL = "/static/"
STATICFILES_DIRS = [str(BASE_DIR / "static")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# TEMPLATES
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [str(BASE_DIR / "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# CACHES: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "legalname"}}

# EMAIL: console unless EMAIL_URL (smtp://user:pass@host:port) is set.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="LegalName <noreply@legalname.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admins", addr) for addr in env.list("DJANGO_ADMIN_EMAILS", default=[])]

# SECURITY (hardened further in production.py)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"verbose": {"format": "%(levelname)s %(asctime)s %(name)s %(process)d %(message)s"}},
    "handlers": {"console": {"level": "DEBUG", "class": "logging.StreamHandler", "formatter": "verbose"}},
    "root": {"level": env("DJANGO_LOG_LEVEL", default="INFO"), "handlers": ["console"]},
}

# CELERY: Redis/RabbitMQ when CELERY_BROKER_URL is set; an embedded SQLite broker otherwise.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=f"sqla+sqlite:///{DATA_DIR / 'celery-broker.sqlite3'}")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=60 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=55 * 60)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# How long /ready waits for the broker before calling it down.
LEGALNAME_BROKER_CHECK_TIMEOUT = env.float("LEGALNAME_BROKER_CHECK_TIMEOUT", default=2.0)

# MLFLOW: a local SQLite store and artifact folder under DATA_DIR unless MLFLOW_TRACKING_URI is set.
MLFLOW_TRACKING_URI = env("MLFLOW_TRACKING_URI", default=f"sqlite:///{DATA_DIR / 'mlflow.db'}")
MLFLOW_ARTIFACT_ROOT = env("MLFLOW_ARTIFACT_ROOT", default=str(DATA_DIR / "mlartifacts"))
LEGALNAME_MODEL_NAME = env("LEGALNAME_MODEL_NAME", default="legal-name-comparator")

# DJANGO REST FRAMEWORK
REST_FRAMEWORK = {
    # JWT first: its WWW-Authenticate header turns "no credentials" into 401 rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": (
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ),
    "DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "legalname.common.exception_handlers.drf_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": (
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ),
    "DEFAULT_THROTTLE_RATES": {
        "user": env("LEGALNAME_API_RATE_USER", default="6000/minute"),
        "anon": env("LEGALNAME_API_RATE_ANON", default="60/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LegalName API",
    "DESCRIPTION": "Material vs immaterial differences between legal entity names.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Every asset is local: the API docs work with no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# LEGALNAME
LEGALNAME_DEMO_PASSWORD = env("LEGALNAME_DEMO_PASSWORD", default="")
LEGALNAME_MODEL_CHECK_SECONDS = env.float("LEGALNAME_MODEL_CHECK_SECONDS", default=2.0)
LEGALNAME_MODEL_RETRY_SECONDS = env.float("LEGALNAME_MODEL_RETRY_SECONDS", default=60.0)
# RETRAINING (models_registry.services.retraining): the triggers, checked every hour and recorded as RetrainingCheck
# rows. Feedback volume: this many de-duplicated, unprocessed, decisive decisions since the last training. Age: the
# active version is older than this many days. The daily scheduled retraining (02:00 UTC) trains when at least
# LEGALNAME_RETRAIN_NIGHTLY_MIN_FEEDBACK new decisions arrived since the last training. Performance and drift read
# the monitoring windows and drift levels (MonitoringThreshold).
LEGALNAME_RETRAIN_MIN_FEEDBACK = env.int("LEGALNAME_RETRAIN_MIN_FEEDBACK", default=1000)
LEGALNAME_RETRAIN_MAX_AGE_DAYS = env.float("LEGALNAME_RETRAIN_MAX_AGE_DAYS", default=30)
LEGALNAME_RETRAIN_NIGHTLY_MIN_FEEDBACK = env.int("LEGALNAME_RETRAIN_NIGHTLY_MIN_FEEDBACK", default=1)
# A decision is decisive (trained on, counted by the volume trigger) unless the analyst stated a certainty below this.
LEGALNAME_TRAINING_MIN_DECISION_CONFIDENCE = env.float("LEGALNAME_TRAINING_MIN_DECISION_CONFIDENCE", default=0.6)
# Each decision weighs as much as SHARE x (generated pairs / decisions) generated pairs, between 1 and MAX: a few
# hundred decisions carry about a tenth of the base set's weight (enough to move the model where they speak, not
# enough to erase the generated policy elsewhere); thousands weigh one each.
LEGALNAME_TRAINING_DECISION_WEIGHT_SHARE = env.float("LEGALNAME_TRAINING_DECISION_WEIGHT_SHARE", default=0.1)
LEGALNAME_TRAINING_DECISION_WEIGHT_MAX = env.float("LEGALNAME_TRAINING_DECISION_WEIGHT_MAX", default=20.0)
# The time zone of the schedules defined in code (models_registry.schedules): the daily retraining runs at 02:00 here.
LEGALNAME_SCHEDULE_TIMEZONE = env("LEGALNAME_SCHEDULE_TIMEZONE", default="UTC")
# A running training whose worker has not written its heartbeat for this long died: the sweeper fails it.
LEGALNAME_TRAINING_HEARTBEAT_STALE_SECONDS = env.int("LEGALNAME_TRAINING_HEARTBEAT_STALE_SECONDS", default=600)
# TRAINING: the one place for its defaults (the command, the admin and the nightly retraining all read them).
# 100,000 generated pairs: about 25 s of training plus 15 s of generation on one core. The seed is the engine's
# data-generation default, so the shipped model is trained on the pairs the benchmarks describe.
LEGALNAME_TRAINING_N_PAIRS = env.int("LEGALNAME_TRAINING_N_PAIRS", default=100_000)
LEGALNAME_TRAINING_SEED = env.int("LEGALNAME_TRAINING_SEED", default=20261126)
# Frozen evaluation sets, never trained on: name -> CSV of name1,name2,label[,source]. Relative paths are read from
# BASE_DIR. A set whose file is missing is skipped with a warning. Add more through the environment, e.g.
# LEGALNAME_EVALUATION_SETS=golden=comparisons/engine/data/golden_pairs.csv,dev=/data/dev_pairs.csv
LEGALNAME_EVALUATION_SETS = {
    name: str(BASE_DIR / path)
    for name, path in env.dict(
        "LEGALNAME_EVALUATION_SETS", default={"golden": "comparisons/engine/data/golden_pairs.csv"}
    ).items()
}
# The promotion gate (models_registry.services.promotion): a candidate is scored, beside the active version, on every
# evaluation set above and on the held-out audit decisions. It is activated only if on no set its METRIC is lower
# than the active version's by more than MARGIN, no set falls below its FLOOR, and on the held-out decisions it is
# right significantly more often (McNemar's exact test, one-sided, p < ALPHA, at least MIN_DECISIONS decisions).
# Not worse but not shown better: kept as challenger. Worse: rejected.
LEGALNAME_PROMOTION_DATASET = env("LEGALNAME_PROMOTION_DATASET", default="golden")
LEGALNAME_PROMOTION_METRIC = env("LEGALNAME_PROMOTION_METRIC", default="balanced_accuracy")
LEGALNAME_PROMOTION_MARGIN = env.float("LEGALNAME_PROMOTION_MARGIN", default=0.01)
LEGALNAME_PROMOTION_FLOORS = {
    name: float(value) for name, value in env.dict("LEGALNAME_PROMOTION_FLOORS", default={"golden": "0.95"}).items()
}
LEGALNAME_PROMOTION_MIN_DECISIONS = env.int("LEGALNAME_PROMOTION_MIN_DECISIONS", default=30)
LEGALNAME_PROMOTION_ALPHA = env.float("LEGALNAME_PROMOTION_ALPHA", default=0.05)
# Share of predictions whose audit decisions are held out of training for good: the gate's frozen decisions sample.
LEGALNAME_PROMOTION_HOLDOUT_SHARE = env.float("LEGALNAME_PROMOTION_HOLDOUT_SHARE", default=0.3)
# Share of the review queue drawn at random from all unreviewed predictions (the audit slice), so that accuracy
# measured from feedback is not biased towards the least certain verdicts.
LEGALNAME_REVIEW_AUDIT_SHARE = env.float("LEGALNAME_REVIEW_AUDIT_SHARE", default=0.10)
# Largest API request body accepted (bytes); larger ones get 413 before parsing.
LEGALNAME_API_MAX_BODY_BYTES = env.int("LEGALNAME_API_MAX_BODY_BYTES", default=4 * 1024 * 1024)
# ALERTS (models_registry.monitoring.alerts): each channel is off while its setting is empty. E-mail goes through
# Django's mail (EMAIL_URL above picks SMTP); the webhook is a Slack-compatible incoming webhook (POST {"text": ...}).
LEGALNAME_ALERT_EMAILS = env.list("LEGALNAME_ALERT_EMAILS", default=[])
LEGALNAME_ALERT_WEBHOOK_URL = env("LEGALNAME_ALERT_WEBHOOK_URL", default="")
LEGALNAME_ALERT_FROM_EMAIL = env("LEGALNAME_ALERT_FROM_EMAIL", default="") or DEFAULT_FROM_EMAIL
# Seconds before an unanswered webhook POST or SMTP server counts as a failed delivery (the task retries with backoff).
LEGALNAME_ALERT_TIMEOUT = env.float("LEGALNAME_ALERT_TIMEOUT", default=10.0)

# PROMETHEUS: /metrics (legalname.common.metrics). Under gunicorn prometheus_client runs in multiprocess mode in
# PROMETHEUS_MULTIPROC_DIR (gunicorn_conf.py sets a default under DATA_DIR); a Celery worker started with the same
# directory on the same host reports through the web's /metrics. Created here, before any process writes to it.
PROMETHEUS_MULTIPROC_DIR = env("PROMETHEUS_MULTIPROC_DIR", default="")
if PROMETHEUS_MULTIPROC_DIR:
    Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)
# Who may read /metrics: clients in these networks (CIDR, comma-separated; loopback by default) and, when a token is
# set, only requests with `Authorization: Bearer <token>`. A malformed network stops the boot.
LEGALNAME_METRICS_TOKEN = env("LEGALNAME_METRICS_TOKEN", default="")
LEGALNAME_METRICS_ALLOWED_NETWORKS = [
    str(ipaddress.ip_network(network.strip(), strict=False))
    for network in env.list("LEGALNAME_METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
    if network.strip()
]
