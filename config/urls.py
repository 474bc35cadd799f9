from django.contrib import admin
from django.urls import include, path

from kinerja.api.api import api
from kinerja.organisation.twofactor import protect_admin

admin.site.site_header = "Administrasi Kinerja"
admin.site.site_title = "Kinerja"
admin.site.index_title = "Data induk"
# Superusers only; with two-step login on, only from a session verified with a code.
protect_admin(admin.site)

urlpatterns = [
    # The API first: the counter tablets' submissions are the busiest URL, and each include
    # that Django tries before the match costs time (docs/PERFORMANCE.md).
    path("api/v1/", api.urls),
    path("", include("kinerja.core.urls")),
    path("", include("kinerja.home.urls")),
    path("", include("kinerja.organisation.urls")),
    path("", include("kinerja.performance.urls")),
    path("", include("kinerja.public.urls")),
    path("", include("kinerja.assessment.urls")),
    path("", include("kinerja.assessment.siasn.urls")),
    path("", include("kinerja.competency.urls")),
    path("", include("kinerja.rewards.urls")),
    path("", include("kinerja.adoption.urls")),
    path("", include("kinerja.monitoring.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
