# dopt-test: --unsafe-fixes
FROM ruby:3.3-slim
WORKDIR /app
COPY app/Gemfile app/Gemfile.lock ./
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/* \
 && bundle install
COPY app/ ./
CMD ["ruby", "main.rb"]
