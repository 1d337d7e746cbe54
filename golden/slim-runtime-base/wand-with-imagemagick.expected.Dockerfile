# dopt-test: --unsafe-fixes
# wand loads ImageMagick's MagickWand, which the stage installs itself: -slim is enough.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends imagemagick && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir wand flask
COPY app.py .
CMD ["python", "app.py"]
