# dopt-test: --unsafe-fixes
# openjdk images have no JRE of the same vendor to move to.
FROM maven:3.6-openjdk-11
WORKDIR /app
COPY . .
RUN mvn package
CMD ["java", "-jar", "target/app.jar"]
