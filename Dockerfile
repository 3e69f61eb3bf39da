# Two images from one build, so that the proxy's static files are the app's own:
# - the app (the default, last stage): gunicorn serving sharedmap.wsgi, static files also
#   by WhiteNoise; docker-compose.yml's web, worker, beat and one-off migrate services;
# - `proxy` (--target proxy): nginx with deploy/nginx.conf and the collected static files.
FROM python:3.11-slim AS app

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

# The map's layer files (LAYER_FILES_ROOT), written by the app and the worker: a named
# volume mounted here starts with this folder's owner, so the app's user can write to it.
ENV LAYER_FILES_ROOT=/app/var/layers
RUN mkdir -p "$LAYER_FILES_ROOT" && chown -R sharedmap:sharedmap /app/var

USER sharedmap
EXPOSE 8000
# gunicorn.conf.py: workers and threads from WEB_CONCURRENCY and WEB_THREADS (by default
# twice the CPUs, at most 8, with 4 threads each), WEB_TIMEOUT, WEB_KEEPALIVE, the bind
# and the access log with secret links masked.
CMD ["gunicorn", "sharedmap.wsgi", "--config", "gunicorn.conf.py"]

# nginx in front (docker-compose.yml's proxy): /static/ from this build's collected files,
# /layers/ from the shared volume, the rest to the web containers. 1.27.3 or later for
# `resolve` in deploy/nginx.conf's upstream; alpine for busybox wget, its healthcheck.
FROM nginx:1.28-alpine AS proxy
COPY --from=app /app/staticfiles /srv/static
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
RUN mkdir -p /srv/layers

# The default target is the app.
FROM app
