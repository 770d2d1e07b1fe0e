"""Entry point: ``flask --app app run`` in development, ``gunicorn app:app`` in production."""

from participate import create_app

app = create_app()
