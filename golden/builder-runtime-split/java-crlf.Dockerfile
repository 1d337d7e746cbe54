# dopt-test: --unsafe-fixes
FROM maven:3.9-eclipse-temurin-17
WORKDIR /app
COPY pom.xml .
COPY src src
RUN mvn -B package
CMD ["java", "-jar", "target/app.jar"]
