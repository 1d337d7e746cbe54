# dopt-test: --unsafe-fixes
# A plain jar built with the JDK's own javac and jar (no Maven, no Gradle): the jar runs on the JRE.
FROM eclipse-temurin:17-jdk
WORKDIR /app
COPY src ./src
RUN javac -d build/classes src/main/java/dev/dopt/hello/*.java \
 && jar --create --file build/hello.jar --main-class dev.dopt.hello.Main -C build/classes .
COPY config/app.properties /app/config/
EXPOSE 8080
CMD ["java", "-jar", "build/hello.jar"]
