FROM eclipse-temurin:21
COPY app.jar plugins.zip /opt/app/
