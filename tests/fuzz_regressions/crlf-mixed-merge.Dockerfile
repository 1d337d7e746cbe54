FROM debia:bookworm
RUN apt-ga:bookworm
RUN  \
      # the CLI
      fpm
RUN get instalL -y \
      cwrlet update

# install
RUN get instalL -y \
      cwrl
