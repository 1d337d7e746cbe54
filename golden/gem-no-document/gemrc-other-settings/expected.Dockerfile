FROM ruby:3.3
COPY config/gem.conf /root/.gemrc
RUN gem install --no-document rails
