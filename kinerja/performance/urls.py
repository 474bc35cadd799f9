from django.urls import path

from kinerja.core import views as core_views

from .views import cascade, feedback, goals, plans, realisations

app_name = "performance"

urlpatterns = [
    path("skp/", plans.plan_list, name="plan_list"),
    path("skp/persetujuan/", plans.approval_inbox, name="approval_inbox"),
    path("skp/tim/", cascade.team_plans, name="team_plans"),
    path("skp/tim/kaskade/", cascade.team_cascade, name="team_cascade"),
    path("skp/sasaran-opd/", goals.goal_list, name="goal_list"),
    path("skp/sasaran-opd/<int:goal_id>/hapus/", goals.goal_delete, name="goal_delete"),
    path("skp/sasaran-opd/impor/", goals.goal_import, name="goal_import"),
    path("skp/sasaran-opd/templat.xlsx", goals.goal_template, name="goal_template"),
    path("skp/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("skp/<int:pk>/rhk/tambah/", cascade.rhk_create, name="rhk_create"),
    path("skp/<int:pk>/lampiran/", plans.plan_lampiran, name="plan_lampiran"),
    path("skp/<int:pk>/ajukan/", plans.plan_submit, name="plan_submit"),
    path("skp/<int:pk>/setujui/", plans.plan_approve, name="plan_approve"),
    path("skp/<int:pk>/kembalikan/", plans.plan_return, name="plan_return"),
    path("skp/<int:pk>/versi-baru/", plans.plan_new_version, name="plan_new_version"),
    path("skp/<int:pk>/versi/", plans.plan_versions, name="plan_versions"),
    path("skp/<int:pk>/dokumen.pdf", plans.plan_pdf, name="plan_pdf"),
    path("skp/<int:pk>/dokumen.xlsx", plans.plan_xlsx, name="plan_xlsx"),
    path("skp/<int:pk>/umpan-balik/", feedback.comment_add, name="comment_add"),
    path("skp/<int:pk>/dialog/", feedback.dialog_list, name="dialog_list"),
    path(
        "skp/<int:pk>/realisasi/impor/", realisations.realisation_import, name="realisation_import"
    ),
    path(
        "skp/<int:pk>/realisasi/templat.xlsx",
        realisations.realisation_template,
        name="realisation_template",
    ),
    path(
        "skp/<int:pk>/realisasi/<int:month>/",
        realisations.realisation_grid,
        name="realisation_grid",
    ),
    path(
        "skp/<int:pk>/realisasi/<int:month>/periksa/",
        realisations.realisation_review,
        name="realisation_review",
    ),
    path("skp/rhk/<int:rhk_id>/ubah/", cascade.rhk_edit, name="rhk_edit"),
    path("skp/rhk/<int:rhk_id>/hapus/", cascade.rhk_delete, name="rhk_delete"),
    path("skp/rhk/<int:rhk_id>/bagikan/", cascade.rhk_distribute, name="rhk_distribute"),
    path(
        "skp/rhk/<int:rhk_id>/indikator/tambah/", cascade.indicator_create, name="indicator_create"
    ),
    path("skp/indikator/<int:indicator_id>/ubah/", cascade.indicator_edit, name="indicator_edit"),
    path(
        "skp/indikator/<int:indicator_id>/hapus/", cascade.indicator_delete, name="indicator_delete"
    ),
    path("skp/perilaku/<int:behaviour_id>/", plans.behaviour_edit, name="behaviour_edit"),
    path(
        "skp/realisasi/<int:realisation_id>/buka/",
        realisations.realisation_reopen,
        name="realisation_reopen",
    ),
    path(
        "skp/realisasi/<int:realisation_id>/bukti/", realisations.evidence_add, name="evidence_add"
    ),
    path("skp/bukti/<int:evidence_id>/", realisations.evidence_download, name="evidence_download"),
    path(
        "skp/bukti/<int:evidence_id>/hapus/", realisations.evidence_delete, name="evidence_delete"
    ),
    path("skp/tindak-lanjut/<int:action_id>/", feedback.action_update, name="action_update"),
    # The bell's pages live in kinerja.core (the model is there); the names stay.
    path("notifikasi/", core_views.notification_list, name="notification_list"),
    path(
        "notifikasi/<int:notification_id>/",
        core_views.notification_open,
        name="notification_open",
    ),
]
