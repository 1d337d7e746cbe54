# dopt-test: --unsafe-fixes
# The build RUN also makes a folder the app may need at run time: dopt cannot tell, so it does not split.
FROM eclipse-temurin:21-jdk
WORKDIR /srv
COPY src ./src
RUN mkdir -p /srv/logs \
 && javac -d out src/*.java \
 && jar cfe app.jar Main -C out .
CMD ["java", "-jar", "app.jar"]
