# podclaims web image: slim Python, pinned dependencies, non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PODCLAIMS_DB=/var/lib/podclaims/podclaims.db \
    PODCLAIMS_HOST=0.0.0.0 \
    PODCLAIMS_PORT=8000

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY pyproject.toml README.md ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY data/episodes.yaml ./data/episodes.yaml
COPY data/lexicon ./data/lexicon
COPY data/search ./data/search
COPY data/transcripts ./data/transcripts
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e . \
    # load the segmenter's dictionary, the lexicon and the templates once, so the first request is fast
    && python -c "from app.text.tokenize import segment; segment('预热 DeepSeek R1 成本'); import app.lexicon as l; l.load_lexicon()" \
    && python -m compileall -q app

RUN useradd --system --uid 10001 --home-dir /var/lib/podclaims podclaims \
    && mkdir -p /var/lib/podclaims && chown podclaims /var/lib/podclaims
USER podclaims
VOLUME ["/var/lib/podclaims"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"

CMD ["podclaims", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
