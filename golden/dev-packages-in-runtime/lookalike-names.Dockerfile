# dopt-test: --unsafe-fixes --expect none
FROM python:3.12-slim
RUN pip install --no-cache-dir pytest-runner blackjack ruffus
CMD ["python"]
