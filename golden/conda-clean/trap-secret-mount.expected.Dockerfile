FROM debian:bookworm
RUN --mount=type=secret,id=tok conda install -y numpy && conda clean -afy
