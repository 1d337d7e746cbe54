# dopt-test: --unsafe-fixes
# The Maven wrapper on the Temurin JDK image: the JRE image of the same tag and OS release.
FROM eclipse-temurin:21-jdk-jammy AS builder
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B dependency:go-offline
COPY src src
RUN ./mvnw -B package -DskipTests

FROM eclipse-temurin:21-jre-jammy
WORKDIR /workspace
COPY --from=builder /workspace/target/service.jar /workspace/target/service.jar
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
CMD ["java", "-jar", "/workspace/target/service.jar"]
