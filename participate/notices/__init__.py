"""Email notices: what a person must know, sent at once or in a digest, never twice."""
