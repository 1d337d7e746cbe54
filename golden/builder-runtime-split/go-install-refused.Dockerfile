# dopt-test: --unsafe-fixes
# `go install ./...` writes a binary per main package: dopt traces one.
FROM golang:1.22
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
RUN go install ./...
CMD ["tool"]
