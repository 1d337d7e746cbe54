# dopt-test: --option merge-consecutive-runs.merge=always
FROM alpine:3.19
RUN apk add --no-cache curl && \
	curl --version
RUN echo ok
