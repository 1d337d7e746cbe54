# dopt-test: --expect DOP410:3,DOP410:3
FROM ruby:3.3
RUN gem install bundler rake:13.0 && gem install rails -v 7.1 && pip3 install black
