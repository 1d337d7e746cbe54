FROM debian:bookworm
RUN echo "yum install httpd && echo" > /notes.txt
