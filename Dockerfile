# KAA production image: gunicorn serving kaa.wsgi, static files via WhiteNoise.
# The same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint system libraries and fonts for PDF rendering.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system kaa \
    && useradd --system --gid kaa --home-dir /app --shell /usr/sbin/nologin kaa

WORKDIR /app

COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt

COPY . .

ENV DJANGO_SETTINGS_MODULE=kaa.settings.production

# Dummy values only for this build step; real ones come from the environment at run time.
RUN SECRET_KEY=build-only-not-secret \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    ALLOWED_HOSTS=localhost \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && chown -R kaa:kaa /app

USER kaa

EXPOSE 8000

CMD ["gunicorn", "kaa.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
