"""Public facts about places: pages, open data and the API."""
