# dopt-test: --unsafe-fixes
# The image runs the build tool (spring-boot:run): the JDK is what it needs.
FROM maven:3.9-eclipse-temurin-17
WORKDIR /app
COPY . .
RUN mvn -B package
CMD ["mvn", "spring-boot:run"]
