FROM ruby:3.3
RUN gem install -N bundler && gem install --no-rdoc --no-ri rake
