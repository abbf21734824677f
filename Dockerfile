# Production image: gunicorn + whitenoise for the web, the same image runs worker and beat.
FROM python:3.11-slim-bookworm AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint needs Pango/HarfBuzz; gettext compiles the translations; curl for health checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
      gettext curl \
 && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv \
 && useradd --system --create-home --home-dir /app chorus

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY --chown=chorus:chorus . .
# Build-time settings only: collectstatic and compilemessages need no real secrets.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
 && DEBUG=0 SECRET_KEY=build-only-not-secret DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 ALLOWED_HOSTS=localhost \
    python manage.py compilemessages --ignore=.venv -v 0 \
 && mkdir -p /app/var/media /app/var/mail && chown -R chorus:chorus /app/var

USER chorus
ENV CHORUS_STATIC_ROOT=/app/var/static CHORUS_MEDIA_ROOT=/app/var/media
EXPOSE 8000
# Keep-alive longer than a reverse proxy's idle timeout (nginx and most balancers: 60 s), so
# that the proxy, not gunicorn, closes idle connections: gunicorn's 2 s default reset requests
# the proxy had just sent on a connection it believed open.
CMD ["gunicorn", "chorus.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--threads", "2", "--timeout", "120", "--keep-alive", "75", "--access-logfile", "-"]
