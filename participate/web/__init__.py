"""Helpers every feature shares: htmx, errors, security headers, layout, health."""
