FROM python:3.11
RUN pip install --no-cache-dir flask && pip download -d /wheels flask && pip wheel .
