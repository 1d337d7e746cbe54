# dopt-test: --unsafe-fixes
FROM python:3.12-slim
WORKDIR /srv
COPY requirements/prod.txt requirements/base.txt requirements/
COPY constraints.txt ./
ENV PIP_NO_CACHE_DIR=1
RUN python -m pip install -r requirements/prod.txt -c constraints.txt
COPY . .
CMD ["python", "-m", "srv"]
