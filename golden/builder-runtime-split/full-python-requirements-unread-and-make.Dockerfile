# dopt-test: --unsafe-fixes
# requirements.txt is not read and the stage also builds with make: not only pip uses the full image's
# compilers, and dopt does not know what make needs at run time; nothing is proposed.
FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
RUN make -C native
CMD ["python", "app.py"]
