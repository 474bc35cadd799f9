from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # One public verification page for every issued document (kinerja.core.verification).
    path("verifikasi/<str:code>/", views.document_verify, name="document_verify"),
]
