FROM debian:bookworm
RUN echo "dnf install -y httpd && echo" > /notes.txt
