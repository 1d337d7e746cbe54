# dopt-test: --unsafe-fixes
FROM maven:3.8.6-eclipse-temurin-11
WORKDIR /opt/app
COPY . .
RUN mvn -q package
CMD java -jar target/worker.jar
