"""The staff side of the annual refresh, one module per job: `contacts` (council
contacts), `cycles` (refresh cycles and their dashboard), `questionnaires` (links,
answers, confirming by phone) and `review` (the review of proposed changes, with what
each accepted one changed, read from django-simple-history), each listed in
`sharedmap.apps.AdminConfig.ADMIN_MODULES`;
and `partnership_pages`, what the refresh adds to the partnerships app's council and
partnership pages, handed to `partnerships.admin_extensions` in `SubmissionsConfig.ready()`.
Every email sent is in the outbox's admin, core/outbox/admin.py.
"""
