# syntax=docker/dockerfile:1
# KOMDIR portal: production image. Build with `docker compose build` (see README.md).

# --- 1. Front-end assets: third-party CSS/JS from npm into static/vendor/ -------------
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- 2. Translations: compile the gettext catalogues (.po -> .mo) ------------------
FROM python:3.11-slim AS source
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN find . -name '*.po' -not -path './node_modules/*' \
        -exec sh -c 'for po; do msgfmt --check-format -o "${po%.po}.mo" "$po"; done' sh {} +

# --- 3. The application ------------------------------------------------------------
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=komdir.settings

RUN groupadd --system --gid 10001 komdir \
    && useradd --system --uid 10001 --gid komdir --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin komdir

WORKDIR /app

COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY --from=source /src /app
COPY --from=assets /build/static/vendor /app/static/vendor

# Static files are collected (hashed and compressed by whitenoise) into the image;
# the key exists only for this command.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && python -m compileall -q komdir members circles focusareas events documents \
    && mkdir -p /app/var/media \
    && chown -R komdir:komdir /app/var

USER komdir

EXPOSE 8000

CMD ["gunicorn", "--config", "gunicorn.conf.py", "komdir.wsgi:application"]
