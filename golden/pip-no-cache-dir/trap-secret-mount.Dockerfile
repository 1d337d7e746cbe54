FROM debian:bookworm
RUN --mount=type=secret,id=tok pip install flask
