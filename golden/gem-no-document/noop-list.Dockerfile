FROM ruby:3.3
RUN gem list && gem env
