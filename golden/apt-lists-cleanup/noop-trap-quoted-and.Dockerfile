FROM debian:bookworm
RUN echo "apt-get update && apt-get install -y curl && echo" > /notes.txt
