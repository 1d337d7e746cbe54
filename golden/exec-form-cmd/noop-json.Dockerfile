# dopt-test: --unsafe-fixes
FROM debian:bookworm
CMD ["bash"]
