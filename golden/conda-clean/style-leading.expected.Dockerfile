FROM continuumio/miniconda3:24.1.2-0
# the file's other RUNs chain their lines the other way
RUN mkdir -p /srv/a && \
    mkdir -p /srv/b && \
    mkdir -p /srv/c && \
    mkdir -p /srv/d
RUN conda install -y numpy \
    && conda install -y pandas \
    && conda clean -afy
