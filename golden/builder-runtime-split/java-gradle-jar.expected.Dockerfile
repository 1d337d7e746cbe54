# dopt-test: --unsafe-fixes
FROM gradle:8.5-jdk21 AS builder
WORKDIR /home/gradle/project
COPY build.gradle settings.gradle ./
COPY src src
RUN gradle bootJar --no-daemon

FROM eclipse-temurin:21-jre
WORKDIR /home/gradle/project
COPY --from=builder /home/gradle/project/build/libs/app.jar /home/gradle/project/build/libs/app.jar
EXPOSE 8080
CMD ["java", "-Xmx512m", "-jar", "build/libs/app.jar"]
