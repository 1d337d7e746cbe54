# syntax=docker/dockerfile:1
FROM ruby:3.3 AS base
COPY <<EOF /usr/local/etc/gemrc
gem: --no-document
EOF

FROM base
RUN gem install rails
