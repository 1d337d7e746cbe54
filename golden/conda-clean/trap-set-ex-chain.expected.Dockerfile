FROM debian:bookworm
RUN set -ex; \
    conda install -y numpy && \
    conda clean -afy
