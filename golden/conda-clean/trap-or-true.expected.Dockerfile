FROM debian:bookworm
RUN conda install -y numpy || true && conda clean -afy
