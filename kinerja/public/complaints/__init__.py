"""Complaints and suggestions (pengaduan): citizens file them to a public unit and follow them by
tracking code; the unit answers within PUBLIC_COMPLAINT_RESPONSE_WORKDAYS working days from its
inbox, and the citizen may rate the answer or reopen the complaint once.
"""
