import os

from flask import Flask

app = Flask(__name__)
PORT = int(os.environ["PORT"])

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=PORT)
