FROM debian:bookworm
RUN ["sh", "-c", "conda install -y numpy"]
