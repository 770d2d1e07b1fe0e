"""The append-only action log. Features call ``record(...)``; nobody changes a row."""

from participate.audit.log import record

__all__ = ["record"]
