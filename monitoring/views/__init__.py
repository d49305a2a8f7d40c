"""The pages of the monitoring app, one module per page family (monitoring/urls.py has a list of
URL patterns for each): quarter (the quarter form, verification, evidence), quarter_sheet (the
quarter form as a spreadsheet: download, upload, preview, save), reports (the dashboards and the
measurement table) and api (the read API)."""
