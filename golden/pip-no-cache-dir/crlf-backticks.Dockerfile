FROM python:3.11
RUN pip install numpy==`cat /numpy.version`
