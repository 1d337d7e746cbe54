FROM debian:bookworm
RUN sleep 1 &
RUN echo next
