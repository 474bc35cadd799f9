from django.urls import path

from . import views

app_name = "siasn"

urlpatterns = [
    path("penilaian/siasn/", views.siasn_page, name="export"),
]
