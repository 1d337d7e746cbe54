FROM mambaorg/micromamba:1.5
RUN micromamba install -y -n base python=3.11 && micromamba clean --all --yes
