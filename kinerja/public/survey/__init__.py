"""The citizen satisfaction survey (Survei Kepuasan Masyarakat, IKM; PermenPANRB 14/2017).

Citizens rate a public service on a phone (/survei/) or on a counter tablet (the kiosk, with a
device token); staff keep the services, their populations and kiosk devices, enter paper
questionnaires, word the questionnaire and read the results and the unit's SKM report.
"""
