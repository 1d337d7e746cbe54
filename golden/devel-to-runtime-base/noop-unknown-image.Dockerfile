# dopt-test: --unsafe-fixes
FROM mycompany/cuda-base:1.0-devel
CMD ["app"]
