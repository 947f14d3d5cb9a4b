FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=legalname.settings.production \
    LEGALNAME_DATA_DIR=/data
RUN apt-get update && apt-get install -y --no-install-recommends libicu-dev g++ pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt requirements.lock ./
RUN pip install --no-cache-dir -r requirements.txt -c requirements.lock
COPY . .
# compile the comparison engine with mypyc (falls back to pure Python with a warning)
RUN python comparisons/engine/build.py
RUN DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput -v 0
RUN useradd --create-home legalname && mkdir -p /data && chown legalname /data
USER legalname
EXPOSE 8000
# web (default); run the worker with `celery -A legalname worker` and beat with `celery -A legalname beat`
CMD ["gunicorn", "legalname.wsgi", "-c", "legalname/gunicorn_conf.py", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
