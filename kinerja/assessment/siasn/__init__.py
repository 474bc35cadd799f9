"""The national SIASN "kinerja periodik" export (issue 17): periodic and annual results in the
shape of BKN's submission, as JSON (API), XLSX (page, background export, command), with a
dry-run of who would be rejected. docs/SIASN.md describes the columns and the mapping.

mapping.py    Kinerja's enums → national codes, from a configuration file (never guessed)
selectors.py  the rows and the rejected people of one period and unit
xlsx.py       the workbook for the manual upload
services.py   building an export and auditing it
checks.py     the system check of the mapping file (kinerja.E101)
views.py      the BKPSDM page /penilaian/siasn/ (urls.py, namespace "siasn")
api.py        GET /api/v1/siasn/kinerja-periodik
"""
