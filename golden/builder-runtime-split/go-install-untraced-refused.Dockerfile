# dopt-test: --unsafe-fixes
# The image installs one binary and runs another.
FROM golang:1.22
RUN go install golang.org/x/tools/cmd/stringer@latest
COPY run.sh /run.sh
CMD ["/run.sh"]
