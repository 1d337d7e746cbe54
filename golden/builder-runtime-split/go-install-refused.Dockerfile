# dopt-test: --unsafe-fixes
# `go install` puts the binary under $GOPATH/bin with a name dopt does not read.
FROM golang:1.22
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
RUN go install ./cmd/tool
CMD ["tool"]
