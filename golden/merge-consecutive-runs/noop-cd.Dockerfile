FROM debian:bookworm
RUN cd /usr/src && make
RUN make install
