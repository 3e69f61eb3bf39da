"""WhiteNoise, serving the map's layer files too (`partnerships.layer_files`).

WhiteNoise reads the static files once, at startup, into a dictionary of URLs; the layer
files are written later, whenever the boundaries change. So a layer address it does not
know yet, if it has the exact shape of one (`/layers/<version>/<file>.geojson`, nothing
else: no traversal, no other names), is looked up on disk once and added; from then on it
is served like any static file, with the gzip or brotli variant the client accepts, and
cached for a year as immutable (a version's files never change: a change is a new
version). A layer address that is not on disk is a plain 404 without reaching Django.
"""

import re

from django.conf import settings
from django.http import HttpResponseNotFound
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.responders import NotARegularFileError

# The same shape as partnerships.layer_files' VERSION_PATTERN and FILE_PATTERN.
_LAYER_PATH = re.compile(
    r"[0-9a-f]{20}/(?:districts|counties)-(?:low|high)-[A-Za-z0-9_]{1,10}\.geojson"
)
# More than any number of versions kept (a few) times their files would reach.
_MAX_KNOWN = 4096


class LayerFilesMiddleware(WhiteNoiseMiddleware):
    def __init__(self, get_response=None, settings=settings):
        super().__init__(get_response, settings=settings)
        self.layer_prefix = settings.LAYER_FILES_URL
        self.layer_root = str(settings.LAYER_FILES_ROOT).rstrip("/") + "/"
        self.layer_files = {}

    def __call__(self, request):
        path = request.path_info
        if path.startswith(self.layer_prefix):
            return self._serve_layer(request, path)
        return super().__call__(request)

    def _serve_layer(self, request, url):
        relative = url[len(self.layer_prefix) :]
        static_file = self.layer_files.get(url)
        if static_file is None and _LAYER_PATH.fullmatch(relative):
            try:
                static_file = self.get_static_file(self.layer_root + relative, url)
            except NotARegularFileError:  # missing, or a directory
                static_file = None
            if static_file is not None and len(self.layer_files) < _MAX_KNOWN:
                self.layer_files[url] = static_file
        if static_file is None:
            return HttpResponseNotFound(
                "No such map layer file.", content_type="text/plain; charset=utf-8"
            )
        try:
            return self.serve(static_file, request)
        except FileNotFoundError:
            # A version pruned since it was first served.
            self.layer_files.pop(url, None)
            return HttpResponseNotFound(
                "No such map layer file.", content_type="text/plain; charset=utf-8"
            )

    def add_mime_headers(self, headers, path, url):
        if url.startswith(getattr(self, "layer_prefix", settings.LAYER_FILES_URL)):
            headers["Content-Type"] = "application/geo+json"
            return
        super().add_mime_headers(headers, path, url)

    def immutable_file_test(self, path, url):
        # Called while WhiteNoise's own __init__ reads the static files, before ours.
        if url.startswith(getattr(self, "layer_prefix", settings.LAYER_FILES_URL)):
            return True
        return super().immutable_file_test(path, url)
