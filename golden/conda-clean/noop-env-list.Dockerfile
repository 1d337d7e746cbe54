FROM continuumio/miniconda3
RUN conda env list && conda info
