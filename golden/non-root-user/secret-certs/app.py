print("serving with /app/certs/server.key")
