# Production image: gunicorn + whitenoise for web; the same image runs the
# Celery worker and beat. Fonts and the HarfBuzz subsetter are installed here
# because the documents depend on them (see documents/checks.py).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
      fonts-noto-cjk fonts-noto-cjk-extra gettext nodejs npm \
 && apt-get download texlive-lang-chinese \
 && dpkg -x texlive-lang-chinese_*.deb /tmp/texlive \
 && mkdir -p /usr/local/share/fonts/fandol \
 && cp /tmp/texlive/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/*.otf /usr/local/share/fonts/fandol/ \
 && rm -rf /tmp/texlive texlive-lang-chinese_*.deb /var/lib/apt/lists/* \
 && fc-cache -f

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install .
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN mkdir -p static/vendor/bootstrap static/vendor/htmx \
 && cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/ \
 && cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/ \
 && DEBUG=true python manage.py compilemessages \
 && DEBUG=true python manage.py collectstatic --no-input \
 && useradd --system --home /app jinzhi && mkdir -p /data/media && chown jinzhi /data/media

USER jinzhi
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
