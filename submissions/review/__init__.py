"""The national review without its HTTP side: the rows of every office's PKs of a year
(rows), the filters and counts over them (board), and their .xlsx export (export). The views
are in submissions.views.review."""
