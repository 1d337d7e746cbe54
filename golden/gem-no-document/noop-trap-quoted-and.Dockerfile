FROM debian:bookworm
RUN echo "gem install rake && echo" > /notes.txt
