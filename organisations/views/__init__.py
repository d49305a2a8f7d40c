"""The pages of the organisations app, one module per page family (organisations/urls/ has a
URL module of the same name for each): units (a unit's page, its users) and otp (one-time
codes)."""
