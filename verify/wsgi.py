import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")

application = get_wsgi_application()

# Refuse to start, rather than fail on the first request, when SECRET_KEY is missing (Django raises on access).
settings.SECRET_KEY  # noqa: B018
