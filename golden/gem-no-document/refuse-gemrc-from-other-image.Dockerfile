# dopt-test: --expect DOP210:4
FROM ruby:3.3
COPY --from=config /etc/gemrc /etc/gemrc
RUN gem install rails
