"""newskg: news articles to a knowledge graph of releases, statements and affiliations."""

__version__ = "0.1.0"
