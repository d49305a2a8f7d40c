"""The pages of the monitoring app, one module per page family (monitoring/urls/ has a URL
module of the same name for each): quarter (the quarter form, verification, evidence),
reports (the dashboards and the measurement table) and api (the read API)."""
