FROM python:3.11
RUN pip install --no-cache-dir numpy==`cat /numpy.version`
