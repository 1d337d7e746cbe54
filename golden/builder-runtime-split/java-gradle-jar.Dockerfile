# dopt-test: --unsafe-fixes
FROM gradle:8.5-jdk21
WORKDIR /home/gradle/project
COPY build.gradle settings.gradle ./
COPY src src
RUN gradle bootJar --no-daemon
EXPOSE 8080
CMD ["java", "-Xmx512m", "-jar", "build/libs/app.jar"]
