from django.urls import path

from . import portal
from .complaints import views as complaint_views
from .forum import views as forum_views
from .survey import staff_views as survey_staff_views
from .survey import views as survey_views
from .transparency import views as transparency_views

app_name = "public"

urlpatterns = [
    # Citizens (no account); "/" shows the portal to anyone not logged in (core.views.home)
    path("warga/", portal.portal, name="portal"),
    path("survei/", survey_views.survey_index, name="survey_index"),
    path("survei/<str:code>/", survey_views.survey_form, name="survey_form"),
    path("survei/<str:code>/terima-kasih/", survey_views.survey_thanks, name="survey_thanks"),
    path("survei/<str:code>/kios/", survey_views.survey_kiosk, name="survey_kiosk"),
    path("pengaduan/", complaint_views.complaint_create, name="complaint_create"),
    path("pengaduan/lacak/", complaint_views.complaint_track, name="complaint_track"),
    path("pengaduan/lacak/<str:code>/", complaint_views.complaint_status, name="complaint_status"),
    path(
        "pengaduan/lacak/<str:code>/nilai/", complaint_views.complaint_rate, name="complaint_rate"
    ),
    path(
        "pengaduan/lacak/<str:code>/buka-kembali/",
        complaint_views.complaint_reopen,
        name="complaint_reopen",
    ),
    path("forum/", forum_views.forum_index, name="forum_index"),
    path("forum/topik/baru/", forum_views.forum_topic_create, name="forum_topic_create"),
    path("forum/topik/<int:pk>/", forum_views.forum_topic, name="forum_topic"),
    path("forum/topik/<int:pk>/jawaban-resmi/", forum_views.forum_official, name="forum_official"),
    path("forum/kiriman/<int:pk>/laporkan/", forum_views.forum_report, name="forum_report"),
    path("forum/masuk/", forum_views.forum_signup, name="forum_signup"),
    path("forum/konfirmasi/<str:token>/", forum_views.forum_confirm, name="forum_confirm"),
    path("forum/keluar/", forum_views.forum_signout, name="forum_signout"),
    path("forum/hapus-akun/", forum_views.forum_erase, name="forum_erase"),
    path("transparansi/", transparency_views.transparency_index, name="transparency_index"),
    path(
        "transparansi/unit/<int:pk>/",
        transparency_views.transparency_unit,
        name="transparency_unit",
    ),
    # Staff
    path("layanan-publik/", portal.staff_dashboard, name="staff_dashboard"),
    path("layanan-publik/unit/<int:pk>/", survey_views.unit_manage, name="unit_manage"),
    path(
        "layanan-publik/unit/<int:pk>/layanan/tambah/",
        survey_views.service_create,
        name="service_create",
    ),
    path(
        "layanan-publik/unit/<int:pk>/hasil/", survey_staff_views.unit_results, name="unit_results"
    ),
    path(
        "layanan-publik/unit/<int:pk>/tindak-lanjut/",
        survey_staff_views.follow_up_save,
        name="follow_up_save",
    ),
    path(
        "layanan-publik/unit/<int:pk>/laporan-skm.pdf",
        survey_staff_views.unit_report,
        name="unit_report",
    ),
    path("layanan-publik/layanan/<str:code>/", survey_views.service_manage, name="service_manage"),
    path("layanan-publik/layanan/<str:code>/ubah/", survey_views.service_edit, name="service_edit"),
    path(
        "layanan-publik/layanan/<str:code>/populasi/",
        survey_views.service_population,
        name="service_population",
    ),
    path("layanan-publik/layanan/<str:code>/kios/", survey_views.device_issue, name="device_issue"),
    path("layanan-publik/kios/<int:pk>/cabut/", survey_views.device_revoke, name="device_revoke"),
    path(
        "layanan-publik/layanan/<str:code>/poster.pdf",
        survey_views.service_poster,
        name="service_poster",
    ),
    path(
        "layanan-publik/layanan/<str:code>/kuesioner/",
        survey_staff_views.paper_entry,
        name="paper_entry",
    ),
    path(
        "layanan-publik/layanan/<str:code>/kuesioner/impor/",
        survey_staff_views.paper_import,
        name="paper_import",
    ),
    path(
        "layanan-publik/layanan/<str:code>/kuesioner/templat.xlsx",
        survey_staff_views.paper_template,
        name="paper_template",
    ),
    path("layanan-publik/pertanyaan/", survey_views.question_list, name="question_list"),
    path("layanan-publik/pertanyaan/<str:code>/", survey_views.question_edit, name="question_edit"),
    path("layanan-publik/pengaduan/", complaint_views.complaint_inbox, name="complaint_inbox"),
    path(
        "layanan-publik/pengaduan/<int:pk>/",
        complaint_views.complaint_manage,
        name="complaint_manage",
    ),
    path(
        "layanan-publik/pengaduan/<int:pk>/tindak/",
        complaint_views.complaint_act,
        name="complaint_act",
    ),
    path(
        "layanan-publik/pengaduan/<int:pk>/spam/",
        complaint_views.complaint_remove,
        name="complaint_remove",
    ),
    path(
        "layanan-publik/pengaduan/<int:pk>/lampiran/",
        complaint_views.complaint_attachment,
        name="complaint_attachment",
    ),
    path("layanan-publik/forum/", forum_views.forum_moderation, name="forum_moderation"),
    path(
        "layanan-publik/forum/kiriman/<int:pk>/moderasi/",
        forum_views.forum_moderate,
        name="forum_moderate",
    ),
]
