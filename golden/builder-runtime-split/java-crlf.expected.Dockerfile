# dopt-test: --unsafe-fixes
FROM maven:3.9-eclipse-temurin-17 AS builder
WORKDIR /app
COPY pom.xml .
COPY src src
RUN mvn -B package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=builder /app/target/app.jar /app/target/app.jar
CMD ["java", "-jar", "target/app.jar"]
