# Muster's container image: one image for the app servers, the task worker and migrations; the
# command chooses the role (see compose.yaml and docs/deploying.md). Configuration comes only
# from the environment (muster/settings/production.py).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=muster.settings.production \
    STATIC_ROOT=/app/static_collected \
    MEDIA_ROOT=/data/media

# Fonts the certificate PDFs embed (Latin, Thai, Chinese and Korean; see certificates/pdf.py).
# The translation catalogues are compiled with polib (scripts/compile_messages.py): no gettext.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       fonts-dejavu-core fonts-thai-tlwg fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --disable-pip-version-check --require-hashes -r requirements/base.txt

COPY . .
# Static files and compiled catalogues are part of the image. Settings need their required
# variables to load; these placeholders are used for this step only.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 MUSTER_BASE_URL=https://build.invalid \
    sh -c "python scripts/compile_messages.py --force >/dev/null \
           && python manage.py collectstatic --no-input >/dev/null"

RUN useradd --system --uid 1000 --home-dir /app muster \
    && mkdir -p /data/media && chown -R muster /data
USER muster
VOLUME ["/data/media"]
EXPOSE 8000

# An app server. The worker runs the same image with `python manage.py run_worker`.
CMD ["gunicorn", "muster.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--worker-class", "gthread", "--threads", "4", "--timeout", "60", \
     "--access-logfile", "-"]
