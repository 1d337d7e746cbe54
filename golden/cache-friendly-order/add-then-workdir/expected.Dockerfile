# dopt-test: --unsafe-fixes
FROM python:3.11-slim
COPY requirements.txt /srv/status/
WORKDIR /srv/status
RUN pip install -r requirements.txt
ADD . /srv/status
CMD ["python", "app.py"]
