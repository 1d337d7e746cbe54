# dopt-test: --unsafe-fixes --expect none
FROM gcr.io/distroless/python3-debian12:nonroot
COPY app.py /app/app.py
CMD ["/app/app.py"]
