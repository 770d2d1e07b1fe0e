"""Participatory budgeting: grant rounds, proposals, ballots and fair counting."""
