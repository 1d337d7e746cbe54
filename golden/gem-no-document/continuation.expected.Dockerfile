FROM ruby:3.3
RUN gem install --no-document \
      # the CLI
      fpm
