# Production image of PK Portal: the web (gunicorn), worker and beat services share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PK_VAR_DIR=/var/lib/pk-portal
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fontconfig fonts-liberation2 fonts-urw-base35 curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock "django-storages[s3]==1.14.6"
COPY . .
RUN useradd --system --home /app pkportal && mkdir -p /var/lib/pk-portal \
 && chown -R pkportal /var/lib/pk-portal
USER pkportal
EXPOSE 8000
CMD ["gunicorn", "pk_portal.wsgi:application", "--config", "pk_portal/gunicorn.conf.py"]
