"""The ceiling: a bare Flask endpoint served by the same gunicorn."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "ok"
