"""``N_`` marks a string for translation where it is defined; it is translated where shown.

Pure modules (rules) use it so they need not import Flask-Babel. ``pybabel extract`` finds
``N_`` by default.
"""


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext name
    return text
