from django.urls import path

from . import views

app_name = "adoption"

urlpatterns = [
    path("aktivasi/", views.activate, name="activate"),
    path("aktivasi/terbitkan/", views.activation_issue, name="activation_issue"),
    path("lupa-kata-sandi/", views.password_reset, name="password_reset"),
    path(
        "lupa-kata-sandi/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("bantuan/", views.help_index, name="help_index"),
    path("bantuan/halaman/", views.help_for_page, name="help_for_page"),
    path("bantuan/baru/", views.help_edit, name="help_create"),
    path("bantuan/<slug:slug>/", views.help_article, name="help_article"),
    path("bantuan/<slug:slug>/ubah/", views.help_edit, name="help_edit"),
    path("pengumuman/", views.announcement_list, name="announcement_list"),
    path("pengumuman/baru/", views.announcement_create, name="announcement_create"),
    path("pengumuman/<int:pk>/", views.announcement_detail, name="announcement_detail"),
    path("adopsi/", views.dashboard, name="dashboard"),
    path("adopsi/unit/<int:unit_id>/", views.dashboard, name="unit"),
    path("adopsi/pegawai/", views.people, name="people"),
    path("adopsi/jadwal/", views.jobs, name="jobs"),
    path("adopsi/pemberitahuan/", views.preferences, name="preferences"),
    path("adopsi/helpdesk/", views.helpdesk_edit, name="helpdesk_edit"),
    path("adopsi/langkah-awal/profil/", views.onboarding_profile, name="onboarding_profile"),
    path(
        "adopsi/langkah-awal/papan-tim/", views.onboarding_team_board, name="onboarding_team_board"
    ),
    path("adopsi/langkah-awal/sembunyikan/", views.onboarding_dismiss, name="onboarding_dismiss"),
    path("adopsi/laporan-atasan/", views.supervisor_reports, name="supervisor_reports"),
    path(
        "adopsi/laporan-atasan/<int:pk>/selesai/",
        views.supervisor_report_resolve,
        name="supervisor_report_resolve",
    ),
]
