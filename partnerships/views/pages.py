"""Placeholder until the public pages land (being written now)."""

from django.http import HttpResponse


def partnership_list(request, **kwargs):
    return HttpResponse("")


partnership_detail = council_list = council_detail = about_data = partnership_list
