# escape=`
# dopt-test: --unsafe-fixes --expect none
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN pip install --no-cache-dir flask
CMD ["python", "app.py"]
