from django.urls import path

from . import views

app_name = "competency"

urlpatterns = [
    path("kompetensi/", views.catalogue, name="catalogue"),
    path("kompetensi/program/baru/", views.programme_edit, name="programme_create"),
    path("kompetensi/program/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("kompetensi/program/<int:pk>/ubah/", views.programme_edit, name="programme_edit"),
    path("kompetensi/program/<int:pk>/sesi/baru/", views.session_create, name="session_create"),
    path("kompetensi/sesi/<int:pk>/", views.session_detail, name="session_detail"),
    path("kompetensi/sesi/<int:pk>/daftar/", views.session_enrol, name="session_enrol"),
    path("kompetensi/sesi/<int:pk>/usulkan/", views.session_nominate, name="session_nominate"),
    path("kompetensi/sesi/<int:pk>/presensi/", views.attendance_sheet, name="attendance_sheet"),
    path("kompetensi/sesi/<int:pk>/kode/", views.checkin_display, name="checkin_display"),
    path("kompetensi/sesi/<int:pk>/hadir/", views.checkin, name="checkin"),
    path("kompetensi/sesi/<int:pk>/tutup/", views.session_close, name="session_close"),
    path("kompetensi/pendaftaran/<int:pk>/batal/", views.enrolment_cancel, name="enrolment_cancel"),
    path(
        "kompetensi/pendaftaran/<int:pk>/putuskan/", views.enrolment_decide, name="enrolment_decide"
    ),
    path("kompetensi/pendaftaran/<int:pk>/nilai/", views.rating_submit, name="rating_submit"),
    path(
        "kompetensi/pendaftaran/<int:pk>/sertifikat.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path("kompetensi/saya/", views.my_learning, name="my_learning"),
    path("kompetensi/saya/eksternal/baru/", views.external_create, name="external_create"),
    path("kompetensi/eksternal/<int:pk>/", views.external_detail, name="external_detail"),
    path("kompetensi/eksternal/<int:pk>/bukti/", views.external_evidence, name="external_evidence"),
    path("kompetensi/persetujuan/", views.approvals, name="approvals"),
    path("kompetensi/kepatuhan/", views.compliance, name="compliance"),
    path("kompetensi/pegawai/<int:pk>/", views.person_jp, name="person_jp"),
    path("kompetensi/pegawai/<int:pk>/ringkas/", views.person_jp_card, name="person_jp_card"),
    path("kompetensi/rencana/", views.plan_view, name="plan"),
    path("kompetensi/rencana/<int:employee_id>/", views.plan_view, name="plan_employee"),
    path("kompetensi/kebutuhan/", views.needs_view, name="needs"),
    path("kompetensi/kebutuhan.xlsx", views.needs_xlsx, name="needs_xlsx"),
]
