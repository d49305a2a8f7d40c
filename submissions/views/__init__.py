"""The pages of the submissions app, one module per page family (submissions/urls/ has a URL
module of the same name for each): dipa, submission (submitting a signed PK, deliveries,
hardcopy), province (the KPU Provinsi's compilation) and review (the national review)."""
