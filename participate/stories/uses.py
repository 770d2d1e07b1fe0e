"""Using stories: quotes taken into session notes and storybooks, links to themes, sessions and
commitments, and the teller's "where my story has been used" and "what happened"."""
