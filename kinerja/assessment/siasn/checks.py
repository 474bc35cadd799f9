"""System check: the SIASN mapping file parses and has exactly the expected tables and keys.

Registered by AssessmentConfig.ready(); `manage.py check` (and every start) reports a malformed
file as kinerja.E101, so a typo is found before BKPSDM exports. Empty codes are not an error:
they are codes not known yet, shown on the export page and listed by the dry-run.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from .mapping import MappingError, load_mapping


@register()
def check_siasn_mapping(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        load_mapping()
    except MappingError as exc:
        return [
            Error(
                str(exc),
                hint="Perbaiki berkas (lihat docs/SIASN.md) atau atur SIASN_MAPPING_PATH.",
                id="kinerja.E101",
            )
        ]
    return []
