FROM eclipse-temurin:21
ADD app.jar plugins.zip /opt/app/
