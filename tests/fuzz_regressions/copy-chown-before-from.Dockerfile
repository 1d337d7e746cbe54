# no FROM yet
COPY . /app
RUN chown -R 1000 /app
FROM alpine
