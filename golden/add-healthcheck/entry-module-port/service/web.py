from flask import Flask

app = Flask(__name__)


@app.route("/")
def index() -> str:
    return "hello"


app.run(host="0.0.0.0", port=9090)
