FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
ARG VENV_DIR
RUN python -m venv "$VENV_DIR"
ENV PATH="$VENV_DIR/bin:$PATH"
RUN pip install --no-cache-dir numpy
CMD ["python", "app.py"]
