# dopt-test: --expect none
FROM debian:bookworm
ARG name
ENV home_dir=/srv
RUN echo "$name" "$home_dir" "$http_proxy"
