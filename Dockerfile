# The application image: the Flask app (gunicorn), the Celery worker and beat share it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Badges, participant lists and certificates need DejaVu Sans (registration/attendance/pdf.py)
# for Cyrillic and Kazakh names; the slim image has no fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY registration ./registration
COPY workers ./workers
COPY migrations ./migrations
COPY templates ./templates
COPY gunicorn.conf.py ./
RUN pip install . \
    && useradd --create-home --uid 1000 cica \
    && mkdir -p /app/instance \
    && chown -R cica /app/instance
USER cica

# Templates and migrations live next to the packages, so run the code from /app.
ENV PYTHONPATH=/app \
    FLASK_APP=registration
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "registration:create_app()"]
