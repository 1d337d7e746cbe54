# syntax=docker/dockerfile:1
FROM continuumio/miniconda3
RUN --mount=type=cache,target=/opt/conda/pkgs conda install -y numpy
