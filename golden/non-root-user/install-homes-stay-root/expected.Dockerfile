# dopt-test: --unsafe-fixes
FROM ubuntu:22.04
ENV JAVA_HOME=/opt/java/openjdk \
    SPARK_HOME=/opt/spark \
    SPARK_PLUGINS_DIR=/usr/local/lib/spark-plugins \
    SPARK_LOG_DIR=/var/log/spark
COPY --from=eclipse-temurin:17-jre /opt/java/openjdk /opt/java/openjdk
COPY spark/ /opt/spark/
COPY job.py /opt/job/job.py
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /var/log/spark \
 && chown -R 10001:10001 /var/log/spark
USER 10001:10001
CMD ["/opt/spark/bin/spark-submit", "/opt/job/job.py"]
