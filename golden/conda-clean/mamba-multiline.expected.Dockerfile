FROM condaforge/mambaforge
RUN mamba install -y -c conda-forge \
        pandas \
        scipy && \
    mamba clean -afy
