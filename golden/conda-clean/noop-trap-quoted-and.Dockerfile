FROM debian:bookworm
RUN echo "conda install -y numpy && echo" > /notes.txt
