"""A tiny service: /health answers, / reports whether psycopg2 loads."""

import os

import psycopg2
from flask import Flask

app = Flask(__name__)


@app.route("/health")
def health() -> str:
    return "ok"


@app.route("/")
def index() -> str:
    return f"psycopg2 {psycopg2.__version__}"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
