FROM python:3.12-slim
RUN git clone --depth 1 https://github.com/example/project.git /src/project && \
    rm -rf /src/project/.git
