from django.urls import path

from . import views

app_name = "rewards"

urlpatterns = [
    path("tindak-lanjut/", views.recommendation_list, name="recommendation_list"),
    path("tindak-lanjut/jalankan/", views.rules_run, name="rules_run"),
    path("tindak-lanjut/aturan/", views.rule_list, name="rule_list"),
    path("tindak-lanjut/aturan/<int:pk>/", views.rule_edit, name="rule_edit"),
    path(
        "tindak-lanjut/rekomendasi/<int:pk>/",
        views.recommendation_detail,
        name="recommendation_detail",
    ),
    path("tindak-lanjut/disiplin/", views.discipline_list, name="discipline_list"),
    path("tindak-lanjut/kehadiran/", views.attendance_import, name="attendance_import"),
    path(
        "tindak-lanjut/kehadiran/templat.<str:fmt>",
        views.attendance_template,
        name="attendance_template",
    ),
    path("tindak-lanjut/kehadiran/rekap/", views.attendance_summary, name="attendance_summary"),
    path("tindak-lanjut/pembinaan/", views.coaching_list, name="coaching_list"),
    path("tindak-lanjut/pembinaan/<int:pk>/", views.coaching_detail, name="coaching_detail"),
    path("tindak-lanjut/keadilan/", views.fairness, name="fairness"),
    path("tpp/", views.tpp_overview, name="tpp_overview"),
    path("tpp/hitung/", views.tpp_calculate, name="tpp_calculate"),
    path("tpp/besaran/", views.tpp_base, name="tpp_base"),
    path("tpp/saya/", views.tpp_my, name="tpp_my"),
    path("tpp/slip/<int:pk>/", views.tpp_slip, name="tpp_slip"),
    path("tpp/<int:year>/<int:month>/", views.tpp_month, name="tpp_month"),
    path("tpp/<int:year>/<int:month>/opd/<int:opd_id>/", views.tpp_opd, name="tpp_opd"),
    path(
        "tpp/<int:year>/<int:month>/opd/<int:opd_id>/daftar.xlsx",
        views.tpp_payroll,
        name="tpp_payroll",
    ),
    path("penghargaan/", views.recognition_wall, name="recognition_wall"),
    path("penghargaan/satyalancana/", views.satyalancana, name="satyalancana"),
    path("penghargaan/asn-berprestasi/", views.asn_berprestasi, name="asn_berprestasi"),
    path("penghargaan/<int:pk>/piagam.pdf", views.recognition_pdf, name="recognition_pdf"),
    path(
        "penghargaan/<int:pk>/persetujuan/",
        views.recognition_consent,
        name="recognition_consent",
    ),
]
