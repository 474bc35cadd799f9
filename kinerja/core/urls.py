from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_log, name="audit_log"),
    # One public verification page for every issued document (kinerja.core.verification).
    path("verifikasi/<str:code>/", views.document_verify, name="document_verify"),
]
