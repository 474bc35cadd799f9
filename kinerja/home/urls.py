from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    # UU 27/2022: each person downloads the data Kinerja holds about them (kinerja.home.mydata).
    path("akun/data-saya/", views.my_data, name="my_data"),
]
