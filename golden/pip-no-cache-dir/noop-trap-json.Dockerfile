FROM debian:bookworm
RUN ["sh", "-c", "pip install flask"]
