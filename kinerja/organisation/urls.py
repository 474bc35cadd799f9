from django.urls import path

from . import twofactor_views, views

app_name = "organisation"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/kode/", twofactor_views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("akun/ganti-sandi/", views.password_change, name="password_change"),
    path("akun/profil/", views.profile, name="profile"),
    path("akun/dua-langkah/", twofactor_views.two_factor, name="two_factor"),
    path("akun/token-api/", views.api_tokens, name="api_tokens"),
    path("akun/token-api/<int:pk>/cabut/", views.api_token_revoke, name="api_token_revoke"),
    path("organisasi/unit/", views.unit_tree, name="unit_tree"),
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/tambah/", views.employee_create, name="employee_create"),
    path("pegawai/ekspor.xlsx", views.employee_export, name="employee_export"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("pegawai/<int:pk>/ubah/", views.employee_edit, name="employee_edit"),
    path(
        "pegawai/<int:pk>/reset-sandi/",
        views.employee_reset_password,
        name="employee_reset_password",
    ),
    path("pegawai/<int:pk>/peran/", views.employee_account_role, name="employee_account_role"),
    path("impor/", views.import_page, name="import"),
    path("impor/templat/<str:kind>.<str:fmt>", views.import_template, name="import_template"),
]
