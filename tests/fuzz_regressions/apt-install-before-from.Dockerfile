# dopt-test: -FROM debian:bookworm
RUN apt-get update && apt-get install -y curl || true

CMD C:\\app\\app.exe
