FROM ruby:3.3
RUN gem install rails -v 7.1.0 && gem update --system
