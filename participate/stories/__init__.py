"""Stories that stay in their tellers' hands: telling, consent, quotes, storybooks."""
