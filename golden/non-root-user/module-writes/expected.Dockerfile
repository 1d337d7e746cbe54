# dopt-test: --unsafe-fixes
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY worker.py .
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /app /mnt/results/output /var/lib/worker/state \
 && chown -R 10001:10001 /mnt/results/output /var/lib/worker/state \
 && chgrp 10001 /app \
 && chmod g+w,+t /app
USER 10001:10001
CMD ["python", "worker.py"]
