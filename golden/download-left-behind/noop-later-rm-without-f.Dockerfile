FROM debian:bookworm
RUN wget -q -O /tmp/app.zip https://example.com/app-3.0.zip && unzip /tmp/app.zip -d /opt/app
RUN rm /tmp/app.zip
