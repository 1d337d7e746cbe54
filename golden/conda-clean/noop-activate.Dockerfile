FROM continuumio/miniconda3
RUN conda run -n base python -c "print(1)"
