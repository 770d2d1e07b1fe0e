"""Consent decisions: proposals, clarifying, reaction and consent rounds, objections."""
