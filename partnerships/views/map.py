"""Placeholder until the map views land (being written now)."""

from django.http import HttpResponse


def map_page(request):
    return HttpResponse("")


councils_layer = council_panel = map_page
