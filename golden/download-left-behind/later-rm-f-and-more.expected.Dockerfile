FROM debian:bookworm
RUN wget -q -O /tmp/app.zip https://example.com/app-3.0.zip && unzip /tmp/app.zip -d /opt/app && rm -f /tmp/app.zip
RUN rm -f /tmp/app.zip && ln -s /opt/app/bin/app /usr/local/bin/app
