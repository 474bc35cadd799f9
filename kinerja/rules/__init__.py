"""The regulation arithmetic of Kinerja, in one place.

Every number a regulation defines is computed here, on plain values (``Decimal``, enums, frozen
dataclasses), without Django. Models, views, reports and the API call these functions and never
re-implement a formula. Modules, each citing its regulation:

* :mod:`kinerja.rules.assessment` — capaian, indicator status, suggested ratings, predikat matrix
  (PermenPANRB 6/2022; PP 30/2019).
* :mod:`kinerja.rules.distribution` — distribution curve of employee predikat (SE MenPANRB 3/2023).
* :mod:`kinerja.rules.skm` — community satisfaction index and minimum sample (PermenPANRB 14/2017).
* :mod:`kinerja.rules.training` — competency development hours (PP 11/2017; PerLAN).
* :mod:`kinerja.rules.discipline` — punishment for unexcused absence (PP 94/2021).
* :mod:`kinerja.rules.incentives` — angka kredit (PerBKN 3/2023) and TPP (PP 12/2019).
* :mod:`kinerja.rules.nip` — the civil servant's NIP (DOMAIN §7).
* :mod:`kinerja.rules.realisation` — monthly realisations to the year, pro-rated targets.
* :mod:`kinerja.rules.projection` — projection to year end and indicators at risk.
* :mod:`kinerja.rules.periods` and :mod:`kinerja.rules.objection` — assessment periods and the
  14-day objection window (PP 30/2019 Pasal 59).
* :mod:`kinerja.rules.berakhlak` — the seven core values (SE MenPANRB 20/2021).
* :mod:`kinerja.rules.enums` and :mod:`kinerja.rules.numbers` — vocabularies and rounding rules.
"""

from kinerja.rules.enums import Mutu, OrgPredikat, Polarity, Predikat, Rating

__all__ = ["Mutu", "OrgPredikat", "Polarity", "Predikat", "Rating"]
