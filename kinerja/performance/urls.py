from django.urls import path

from kinerja.core import views as core_views

from . import views

app_name = "performance"

urlpatterns = [
    path("skp/", views.plan_list, name="plan_list"),
    path("skp/persetujuan/", views.approval_inbox, name="approval_inbox"),
    path("skp/tim/", views.team_plans, name="team_plans"),
    path("skp/tim/kaskade/", views.team_cascade, name="team_cascade"),
    path("skp/sasaran-opd/", views.goal_list, name="goal_list"),
    path("skp/sasaran-opd/<int:goal_id>/hapus/", views.goal_delete, name="goal_delete"),
    path("skp/sasaran-opd/impor/", views.goal_import, name="goal_import"),
    path("skp/sasaran-opd/templat.xlsx", views.goal_template, name="goal_template"),
    path("skp/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("skp/<int:pk>/rhk/tambah/", views.rhk_create, name="rhk_create"),
    path("skp/<int:pk>/lampiran/", views.plan_lampiran, name="plan_lampiran"),
    path("skp/<int:pk>/ajukan/", views.plan_submit, name="plan_submit"),
    path("skp/<int:pk>/setujui/", views.plan_approve, name="plan_approve"),
    path("skp/<int:pk>/kembalikan/", views.plan_return, name="plan_return"),
    path("skp/<int:pk>/versi-baru/", views.plan_new_version, name="plan_new_version"),
    path("skp/<int:pk>/versi/", views.plan_versions, name="plan_versions"),
    path("skp/<int:pk>/dokumen.pdf", views.plan_pdf, name="plan_pdf"),
    path("skp/<int:pk>/dokumen.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("skp/<int:pk>/umpan-balik/", views.comment_add, name="comment_add"),
    path("skp/<int:pk>/dialog/", views.dialog_list, name="dialog_list"),
    path("skp/<int:pk>/realisasi/impor/", views.realisation_import, name="realisation_import"),
    path(
        "skp/<int:pk>/realisasi/templat.xlsx",
        views.realisation_template,
        name="realisation_template",
    ),
    path("skp/<int:pk>/realisasi/<int:month>/", views.realisation_grid, name="realisation_grid"),
    path(
        "skp/<int:pk>/realisasi/<int:month>/periksa/",
        views.realisation_review,
        name="realisation_review",
    ),
    path("skp/rhk/<int:rhk_id>/ubah/", views.rhk_edit, name="rhk_edit"),
    path("skp/rhk/<int:rhk_id>/hapus/", views.rhk_delete, name="rhk_delete"),
    path("skp/rhk/<int:rhk_id>/bagikan/", views.rhk_distribute, name="rhk_distribute"),
    path("skp/rhk/<int:rhk_id>/indikator/tambah/", views.indicator_create, name="indicator_create"),
    path("skp/indikator/<int:indicator_id>/ubah/", views.indicator_edit, name="indicator_edit"),
    path(
        "skp/indikator/<int:indicator_id>/hapus/", views.indicator_delete, name="indicator_delete"
    ),
    path("skp/perilaku/<int:behaviour_id>/", views.behaviour_edit, name="behaviour_edit"),
    path(
        "skp/realisasi/<int:realisation_id>/buka/",
        views.realisation_reopen,
        name="realisation_reopen",
    ),
    path("skp/realisasi/<int:realisation_id>/bukti/", views.evidence_add, name="evidence_add"),
    path("skp/bukti/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("skp/bukti/<int:evidence_id>/hapus/", views.evidence_delete, name="evidence_delete"),
    path("skp/tindak-lanjut/<int:action_id>/", views.action_update, name="action_update"),
    # The bell's pages live in kinerja.core (the model is there); the names stay.
    path("notifikasi/", core_views.notification_list, name="notification_list"),
    path(
        "notifikasi/<int:notification_id>/",
        core_views.notification_open,
        name="notification_open",
    ),
]
