from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnly(BasePermission):
    """The API is read-only for everyone, staff included: a write is refused with 405
    (not 401/403), since logging in would not make it allowed."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        raise MethodNotAllowed(request.method)
