from rest_framework import pagination
from rest_framework.utils.urls import remove_query_param, replace_query_param


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (up to 500; the default is the PAGE_SIZE setting).

    The next and previous links are built from the view's `list_url()` when it has one
    (`partnerships.api.caching.StoredListMixin`): the address a stored page is kept
    under, so a stored page's links are the same whoever asked for it first."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.view = view
        return super().paginate_queryset(queryset, request, view=view)

    def _address(self) -> str:
        list_url = getattr(self.view, "list_url", None)
        return list_url() if list_url else self.request.build_absolute_uri()

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(
            self._address(), self.page_query_param, self.page.next_page_number()
        )

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(self._address(), self.page_query_param)
        return replace_query_param(self._address(), self.page_query_param, number)
