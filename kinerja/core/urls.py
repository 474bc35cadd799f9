from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # One public verification page for every issued document (kinerja.core.verification).
    path("verifikasi/<str:code>/", views.document_verify, name="document_verify"),
    # Background exports (kinerja.core.exports): ask, follow, download.
    path("unduhan/", views.export_list, name="export_list"),
    path("unduhan/minta/<str:kind>/", views.export_request, name="export_request"),
    path("unduhan/<int:pk>/", views.export_status, name="export_status"),
    path("unduhan/<int:pk>/berkas/", views.export_download, name="export_download"),
    # Background imports (kinerja.core.importjobs): progress, then the result.
    path("impor/<int:pk>/", views.import_status, name="import_status"),
]
