FROM alpine:3.19
RUN echo "apk add curl && echo" > /hint
