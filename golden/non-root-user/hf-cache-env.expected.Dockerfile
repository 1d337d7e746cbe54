# dopt-test: --unsafe-fixes
FROM python:3.11-slim
ENV HF_HOME=/models \
    TRANSFORMERS_CACHE=/models/transformers
WORKDIR /srv
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
RUN python -c "from huggingface_hub import snapshot_download; snapshot_download('org/model')"
COPY . .
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /models /srv \
 && chown -R 10001:10001 /models \
 && chgrp 10001 /srv \
 && chmod g+w,+t /srv
USER 10001:10001
CMD ["python", "serve.py"]
