FROM debian:bookworm
RUN echo start \
    # note
    && conda install -y numpy \
    && conda clean -afy
