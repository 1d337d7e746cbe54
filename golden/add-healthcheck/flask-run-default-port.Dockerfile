# dopt-test: --unsafe-fixes
FROM python:3.11-slim
COPY . /app
WORKDIR /app
RUN pip install --no-cache-dir flask
ENV FLASK_APP=app.py
CMD ["flask", "run", "--host=0.0.0.0"]
