FROM python:3.12
	WORKDIR /app
	WORKDIR ./src
