"""The email outbox: every email the site sends is recorded here first, then sent once by
a Celery task, with a delivery status staff can read in the admin.

Apps queue mail with `core.outbox.services.email_queue`; the row names the object the
email concerns through a generic reference, so the kernel knows none of the apps.
"""
