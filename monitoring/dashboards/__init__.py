"""The monitoring dashboards without their HTTP side (the views are monitoring.views.reports):

- scores: each PK's capaian and reporting status in one quarter, for thousands of PKs at once;
- rows: one row per unit of a scope (a province, or the whole country) for a year and quarter;
- board: the GET filters over those rows, the counts, and build_board() for pages and exports.
"""
