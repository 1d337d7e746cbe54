FROM debian:bookworm
RUN echo one
COPY . /app
RUN echo two
