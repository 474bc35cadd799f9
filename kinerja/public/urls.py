from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    # Citizens (no account); "/" shows the portal to anyone not logged in (core.views.home)
    path("warga/", views.portal, name="portal"),
    path("survei/", views.survey_index, name="survey_index"),
    path("survei/<str:code>/", views.survey_form, name="survey_form"),
    path("survei/<str:code>/terima-kasih/", views.survey_thanks, name="survey_thanks"),
    path("survei/<str:code>/kios/", views.survey_kiosk, name="survey_kiosk"),
    path("pengaduan/", views.complaint_create, name="complaint_create"),
    path("pengaduan/lacak/", views.complaint_track, name="complaint_track"),
    path("pengaduan/lacak/<str:code>/", views.complaint_status, name="complaint_status"),
    path("pengaduan/lacak/<str:code>/nilai/", views.complaint_rate, name="complaint_rate"),
    path(
        "pengaduan/lacak/<str:code>/buka-kembali/",
        views.complaint_reopen,
        name="complaint_reopen",
    ),
    path("forum/", views.forum_index, name="forum_index"),
    path("forum/topik/baru/", views.forum_topic_create, name="forum_topic_create"),
    path("forum/topik/<int:pk>/", views.forum_topic, name="forum_topic"),
    path("forum/topik/<int:pk>/jawaban-resmi/", views.forum_official, name="forum_official"),
    path("forum/kiriman/<int:pk>/laporkan/", views.forum_report, name="forum_report"),
    path("forum/masuk/", views.forum_signup, name="forum_signup"),
    path("forum/konfirmasi/<str:token>/", views.forum_confirm, name="forum_confirm"),
    path("forum/keluar/", views.forum_signout, name="forum_signout"),
    path("forum/hapus-akun/", views.forum_erase, name="forum_erase"),
    path("transparansi/", views.transparency_index, name="transparency_index"),
    path("transparansi/unit/<int:pk>/", views.transparency_unit, name="transparency_unit"),
    # Staff
    path("layanan-publik/", views.staff_dashboard, name="staff_dashboard"),
    path("layanan-publik/unit/<int:pk>/", views.unit_manage, name="unit_manage"),
    path(
        "layanan-publik/unit/<int:pk>/layanan/tambah/", views.service_create, name="service_create"
    ),
    path("layanan-publik/unit/<int:pk>/hasil/", views.unit_results, name="unit_results"),
    path(
        "layanan-publik/unit/<int:pk>/tindak-lanjut/", views.follow_up_save, name="follow_up_save"
    ),
    path("layanan-publik/unit/<int:pk>/laporan-skm.pdf", views.unit_report, name="unit_report"),
    path("layanan-publik/layanan/<str:code>/", views.service_manage, name="service_manage"),
    path("layanan-publik/layanan/<str:code>/ubah/", views.service_edit, name="service_edit"),
    path(
        "layanan-publik/layanan/<str:code>/populasi/",
        views.service_population,
        name="service_population",
    ),
    path("layanan-publik/layanan/<str:code>/kios/", views.device_issue, name="device_issue"),
    path("layanan-publik/kios/<int:pk>/cabut/", views.device_revoke, name="device_revoke"),
    path(
        "layanan-publik/layanan/<str:code>/poster.pdf", views.service_poster, name="service_poster"
    ),
    path("layanan-publik/layanan/<str:code>/kuesioner/", views.paper_entry, name="paper_entry"),
    path(
        "layanan-publik/layanan/<str:code>/kuesioner/impor/",
        views.paper_import,
        name="paper_import",
    ),
    path(
        "layanan-publik/layanan/<str:code>/kuesioner/templat.xlsx",
        views.paper_template,
        name="paper_template",
    ),
    path("layanan-publik/pertanyaan/", views.question_list, name="question_list"),
    path("layanan-publik/pertanyaan/<str:code>/", views.question_edit, name="question_edit"),
    path("layanan-publik/pengaduan/", views.complaint_inbox, name="complaint_inbox"),
    path("layanan-publik/pengaduan/<int:pk>/", views.complaint_manage, name="complaint_manage"),
    path("layanan-publik/pengaduan/<int:pk>/tindak/", views.complaint_act, name="complaint_act"),
    path(
        "layanan-publik/pengaduan/<int:pk>/spam/", views.complaint_remove, name="complaint_remove"
    ),
    path(
        "layanan-publik/pengaduan/<int:pk>/lampiran/",
        views.complaint_attachment,
        name="complaint_attachment",
    ),
    path("layanan-publik/forum/", views.forum_moderation, name="forum_moderation"),
    path(
        "layanan-publik/forum/kiriman/<int:pk>/moderasi/",
        views.forum_moderate,
        name="forum_moderate",
    ),
]
