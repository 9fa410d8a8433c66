# govwatch API and worker image for docker-compose.yml
FROM python:3.11.9-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-wqy-microhei libime-data-language-model \
    g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY core ./core
COPY govwatch ./govwatch
COPY crawler ./crawler
COPY index ./index
COPY audit ./audit
COPY search_api ./search_api
COPY sampleweb ./sampleweb
COPY scrapy.cfg ./
RUN pip install --no-cache-dir .
