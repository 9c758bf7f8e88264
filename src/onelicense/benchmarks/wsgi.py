"""The benchmark server's WSGI application: the project with the benchmark settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "onelicense.benchmarks.settings"
application = get_wsgi_application()
