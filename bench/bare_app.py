"""The baseline for ``bench/vote_day.py``: one bare Flask route, served by the same gunicorn
settings as the app, so the ratio printed there says what the app's own work costs."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare():
    return "ok"
