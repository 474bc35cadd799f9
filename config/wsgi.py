import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from kinerja.core import worker  # noqa: E402

worker.prepare()  # import the views, freeze the start-up objects (kinerja/core/worker.py)
