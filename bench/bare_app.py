"""The baselines for ``bench/vote_day.py``, served by the same gunicorn settings as the app:

- ``/``: a bare Flask route, so the ratio printed there says what the app's own work costs;
- ``/read``: the bare route plus one round trip to PostgreSQL (``SELECT 1``);
- ``/write``: the bare route plus one durable write (an insert, committed).

The last two are the floor under any page that reads or saves something: they show how much
of the gap to the bare route the database round trips alone take on this machine.
"""

import os

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

app = Flask(__name__)
# The app's database, with the driver the app uses (psycopg 3).
engine = create_engine(
    make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql+psycopg"),
    pool_pre_ping=False,  # the least work possible: no ping before each request
)


@app.get("/")
def bare():
    return "ok"


@app.get("/read")
def read():
    with engine.connect() as conn:
        conn.execute(text("SELECT 1")).scalar()
    return "ok"


@app.post("/write")
def write():
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO bench_write (at) VALUES (now())"))
    return "ok"
