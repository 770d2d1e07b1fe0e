"""Storybooks: curated collections of stories and quotes, on screen, in print and as PDF."""
