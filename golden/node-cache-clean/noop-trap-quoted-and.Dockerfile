FROM debian:bookworm
RUN echo "npm ci && echo" > /notes.txt
