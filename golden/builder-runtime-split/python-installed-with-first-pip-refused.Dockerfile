# dopt-test: --unsafe-fixes
# Python comes with the RUN that first runs pip: a virtual environment could not be made before it.
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y gcc git
COPY requirements.txt .
RUN apt-get install -y python3-pip && pip3 install -r requirements.txt
CMD ["python3", "-m", "app"]
