from django.urls import path

from kinerja.core import views as core_views

from . import views

app_name = "assessment"

urlpatterns = [
    path("penilaian/", views.assessment_home, name="home"),
    path("penilaian/tim/", views.team_view, name="team"),
    path("penilaian/tim/finalkan/", views.team_finalise, name="team_finalise"),
    path("penilaian/nilai/<int:plan_id>/", views.assess_employee, name="assess"),
    path("penilaian/organisasi/", views.org_list, name="org_list"),
    path("penilaian/organisasi/<int:unit_id>/", views.org_set, name="org_set"),
    path("penilaian/hasil/<int:pk>/", views.result_detail, name="result"),
    path("penilaian/hasil/<int:pk>/terima/", views.result_acknowledge, name="acknowledge"),
    path("penilaian/hasil/<int:pk>/pdf/", views.result_pdf, name="result_pdf"),
    path("penilaian/hasil/<int:pk>/keberatan/", views.objection_create, name="objection_create"),
    path("penilaian/keberatan/", views.objection_inbox, name="objection_inbox"),
    path("penilaian/keberatan/<int:pk>/", views.objection_detail, name="objection_detail"),
    path(
        "penilaian/keberatan/lampiran/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("penilaian/kalibrasi/", views.calibration_view, name="calibration"),
    path("penilaian/kalibrasi/opd/<int:opd_id>/", views.calibration_opd, name="calibration_opd"),
    path(
        "penilaian/kalibrasi/finalisasi/<int:pk>/kembalikan/",
        views.calibration_return,
        name="calibration_return",
    ),
    path("penilaian/rekap.xlsx", views.recap_xlsx, name="recap_xlsx"),
    # Served by the one verification page of kinerja.core (it asks .verification.resolve).
    path("verifikasi/<str:code>/", core_views.document_verify, name="verify"),
]
