FROM debian:bookworm
RUN echo "composer install && echo" > /notes.txt
