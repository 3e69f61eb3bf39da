# The production image: gunicorn serving sharedmap.wsgi, static files by WhiteNoise.
# Used by docker-compose.yml for the web, worker, beat and one-off migrate services.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=sharedmap.settings.production

WORKDIR /app
RUN useradd --system --create-home --uid 10001 sharedmap

COPY . .
# Editable, so that the code runs from /app: the settings find templates/, static/ and
# data/ beside the packages (BASE_DIR), which a copy in site-packages would not have.
RUN pip install -e .

# Hashed, compressed static files baked into the image. collectstatic needs the
# production settings to load; these values exist only for this build step.
RUN SECRET_KEY=collectstatic-at-build-time-only ALLOWED_HOSTS=localhost \
    SITE_URL=https://localhost \
    python manage.py collectstatic --noinput

USER sharedmap
EXPOSE 8000
# gunicorn.conf.py: workers and threads from WEB_CONCURRENCY and WEB_THREADS (by default
# twice the CPUs, at most 8, with 4 threads each), WEB_TIMEOUT, WEB_KEEPALIVE, the bind
# and the access log with secret links masked.
CMD ["gunicorn", "sharedmap.wsgi", "--config", "gunicorn.conf.py"]
