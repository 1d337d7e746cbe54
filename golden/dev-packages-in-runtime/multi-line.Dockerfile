# dopt-test: --unsafe-fixes
FROM python:3.12-slim
RUN pip install --no-cache-dir \
      black \
      flask \
      pytest
CMD ["flask", "run"]
