FROM debian:bookworm
RUN echo "apk add curl && echo" > /notes.txt
