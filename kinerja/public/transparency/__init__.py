"""Transparency (/transparansi/): the published survey results (IKM) and complaint handling
figures of the regency and of each public unit, for anyone to read.
"""
