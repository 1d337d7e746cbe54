FROM debian:bookworm
RUN for i in 1 2; do conda install -y numpy; done && conda clean -afy
