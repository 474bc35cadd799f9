from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("pantau/saya/", views.my_performance, name="my_performance"),
    path("pantau/tim/", views.team_board, name="team_board"),
    path("pantau/tim/<int:employee_id>/baris/", views.team_row, name="team_row"),
    path("pantau/tim/<int:employee_id>/umpan-balik/", views.team_feedback, name="team_feedback"),
    path("pantau/langsung/", views.stream, name="stream"),
    path("pantau/daerah/", views.regency_dashboard, name="regency_dashboard"),
    path("pantau/daerah/unit/<int:unit_id>/", views.unit_dashboard, name="unit_dashboard"),
    path("pantau/daerah/unduh.xlsx", views.regency_export_xlsx, name="regency_export_xlsx"),
    path("pantau/daerah/unduh.pdf", views.regency_export_pdf, name="regency_export_pdf"),
]
