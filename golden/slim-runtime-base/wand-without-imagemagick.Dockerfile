# dopt-test: --unsafe-fixes
# wand relies on the full image's ImageMagick: not switched.
FROM python:3.11
RUN pip install --no-cache-dir wand flask
CMD ["python", "app.py"]
