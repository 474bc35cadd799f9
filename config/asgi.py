import os
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# WhiteNoise serves static files through a synchronous iterator, which Django's ASGI handler
# consumes in a thread; correct, but it warns on every file.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)

from kinerja.core.asgi import get_application  # noqa: E402

application = get_application()
