# dopt-test: --unsafe-fixes
FROM jenkins/jenkins:lts-jdk17
COPY plugins.txt /usr/share/jenkins/ref/plugins.txt
CMD ["/usr/bin/tini", "--", "/usr/local/bin/jenkins.sh"]
