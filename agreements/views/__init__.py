"""The pages of the agreements app, one module per page family (agreements/urls.py has a list of
URL patterns for each): pages, copying, lampiran, transfer and amendment (drafting), checks,
workflow, documents, signatory (approvers, scans, notifications) and signing. Thin views: rules
live in drafting, lampiran, spreadsheet, permissions and workflow; every lookup goes through
`Agreement.objects.visible_to(user)`."""
