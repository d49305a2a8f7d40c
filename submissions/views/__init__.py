"""The pages of the submissions app, one module per page family (submissions/urls.py has a list of
URL patterns for each): dipa, submission (submitting a signed PK, deliveries, hardcopy),
province (the KPU Provinsi's compilation) and review (the national review)."""
