# dopt-test: --expect DOP430:4
FROM debian:bookworm
RUN <<-EOF
		tar xf $ARCHIVE
	EOF
