FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then conda install -y numpy; fi && conda clean -afy
