# dopt-test: --unsafe-fixes
# The stage installs ImageMagick for wand and gcc for a C extension; ImageMagick stays in the runtime stage.
FROM python:3.10
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc imagemagick \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir wand cffi
COPY thumbs.py /usr/local/bin/thumbs.py
ENTRYPOINT ["python", "/usr/local/bin/thumbs.py"]
