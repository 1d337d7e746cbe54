FROM continuumio/miniconda3
RUN conda create -y -n app python=3.11
