# dopt-test: --unsafe-fixes
FROM public.ecr.aws/docker/library/python:3.12-slim
COPY app.py /app/app.py
CMD ["python", "/app/app.py"]
