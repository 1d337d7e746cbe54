# dopt-test: --unsafe-fixes
FROM maven:3.9-amazoncorretto-17
WORKDIR /app
COPY . .
RUN mvn -B package
CMD ["java", "-jar", "target/app.jar"]
