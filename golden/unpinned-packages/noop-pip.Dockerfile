# dopt-test: --expect none
FROM python:3.12
RUN pip install -r requirements.txt flask && pip install . && pip install flask==3.0 dist/app.whl
