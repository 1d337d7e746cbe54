# dopt-test: --unsafe-fixes
FROM python:3.11-slim
CMD python app.py --port 8000
