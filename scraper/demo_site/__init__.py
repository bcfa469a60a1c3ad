"""The bundled demo news site: its stories, the XML it serves, and a loopback server for it.

A package (not loose data files) so it ships with `scraper` without package-data settings.
"""

from scraper.demo_site.demo import serve_demo

__all__ = ["serve_demo"]
