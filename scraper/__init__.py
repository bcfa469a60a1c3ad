"""scraper: a news crawler and article extractor."""

from scraper.article import Article, AuthorBio
from scraper.extract import extract

__all__ = ["Article", "AuthorBio", "extract"]
__version__ = "0.1.0"
