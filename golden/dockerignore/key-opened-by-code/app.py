import uvicorn

if __name__ == "__main__":
    # TLS terminates here
    uvicorn.run("main:app", port=8443, ssl_keyfile="/app/certs/server.key", ssl_certfile="certs/server.pem")
