# Production image: gunicorn + whitenoise for web; the same image runs the
# Celery worker and beat. Fonts and the HarfBuzz subsetter are installed here
# because the documents depend on them (see documents/checks.py).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_READ_DOT_ENV=false WEB_CONCURRENCY=3

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
# The document copies of the font faces are made here, once (documents/fonts.py).
# The project is compiled to bytecode here (pip compiled the packages): with
# PYTHONDONTWRITEBYTECODE set, no process would keep what it compiles.
# Static files are collected with the production settings (DEBUG=false), so
# the manifest storage names every file by its hash; a throwaway key only
# lets the settings load here, it is not kept in the image.
RUN bash scripts/vendor_static.sh \
 && DEBUG=false SECRET_KEY="build-only-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
      sh -c 'python manage.py compilemessages --ignore=node_modules \
             && python manage.py collectstatic --no-input \
             && python manage.py prepare_document_fonts' \
 && test -f staticfiles/staticfiles.json \
 && rm -rf node_modules \
 && python -m compileall -q /app \
 && useradd --system --home /app jinzhi && mkdir -p /data/media && chown jinzhi /data/media

USER jinzhi
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["python", "scripts/healthcheck.py"]
# Worker processes: WEB_CONCURRENCY (gunicorn reads it), 3 by default.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
