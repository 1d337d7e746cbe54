FROM ruby:3.3
RUN echo "gem: --no-document" > ~/.gemrc
RUN gem install bundler
