# dopt-test: --unsafe-fixes
FROM alpine:3.20
RUN apk add --no-cache python3
COPY app.py /srv/app.py
WORKDIR /srv
ENTRYPOINT ["python3", "app.py"]
