# escape=`
# dopt-test: --unsafe-fixes --expect none
FROM mcr.microsoft.com/windows/servercore:ltsc2022
CMD ["uvicorn", "main:app", "--port", "8000"]
