FROM debian:bookworm
RUN echo "apt-get install curl && echo" > /notes.txt
