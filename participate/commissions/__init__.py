"""Poverty truth commissions: phases, cohorts, sessions, commitments and recompense."""
