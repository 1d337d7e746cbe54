# dopt-test: --unsafe-fixes
FROM nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04 AS build
RUN nvcc --version && make -C /src

FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
COPY --from=build /src/bin /usr/local/bin
CMD ["app"]
