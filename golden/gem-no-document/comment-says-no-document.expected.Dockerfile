FROM ruby:3.3
# we want no-document everywhere (a comment configures nothing)
RUN gem install --no-document rails
