"""What every app's admin shares."""


class ReadOnly:
    """For an admin or inline of records only their services write (a log, an outbox):
    listed and shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
