"""gunicorn's settings for the production image (gunicorn reads ./gunicorn.conf.py).

The access log is on, with the secret links' tokens masked in every line (the request
line, the path and the Referer), and so is the error log: core.logging.SecretPathFilter
sits on both. https://docs.gunicorn.org/en/stable/settings.html
"""

from gunicorn.glogging import Logger

from core.logging import SecretPathFilter

bind = "0.0.0.0:8000"
accesslog = "-"


class MaskedLogger(Logger):
    """gunicorn's own logger, with the secret-path filter on its handlers."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            for handler in log.handlers:
                handler.addFilter(SecretPathFilter())


logger_class = MaskedLogger
