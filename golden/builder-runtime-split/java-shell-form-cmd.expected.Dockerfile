# dopt-test: --unsafe-fixes
FROM maven:3.8.6-eclipse-temurin-11 AS builder
WORKDIR /opt/app
COPY . .
RUN mvn -q package

FROM eclipse-temurin:11-jre
WORKDIR /opt/app
COPY . .
COPY --from=builder /opt/app/target/worker.jar /opt/app/target/worker.jar
CMD java -jar target/worker.jar
