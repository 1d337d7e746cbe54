FROM debian:bookworm
RUN conda install -y numpy $PKGS && conda clean -afy
