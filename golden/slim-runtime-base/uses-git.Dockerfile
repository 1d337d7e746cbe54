# dopt-test: --unsafe-fixes --expect DOP603:2
FROM python:3.11
RUN git clone https://example.com/repo.git /src
CMD ["python", "/src/run.py"]
