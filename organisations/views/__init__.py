"""The pages of the organisations app, one module per page family (organisations/urls.py has a list
of URL patterns for each): units (a unit's page, its users), otp (one-time codes) and profile
(e-mail, notices)."""
