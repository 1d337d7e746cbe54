# dopt-test: --option merge-consecutive-runs.merge=always
FROM ubuntu:22.04
RUN apt-get update \
  && apt-get install -y git
RUN git clone https://example.com/repo /src \
  # shallow is enough
  && echo done
RUN echo three
