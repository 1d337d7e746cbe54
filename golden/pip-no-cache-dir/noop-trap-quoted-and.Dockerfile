FROM debian:bookworm
RUN echo "pip install flask && echo" > /notes.txt
