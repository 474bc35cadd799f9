"""Monitoring keeps derived figures only; nothing here is edited by hand, so nothing is
registered in the admin (rebuild them with `manage.py monitoring_rebuild`)."""
