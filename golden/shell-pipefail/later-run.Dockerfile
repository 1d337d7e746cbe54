# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN echo "$HOME" || true
RUN ps aux | grep -c x || true
CMD ["sh"]