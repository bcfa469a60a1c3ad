"""The bundled demo news site's data: its stories and sentence pools, and the XML it serves.

A package (not loose data files) so it ships with `scraper` without package-data settings.
"""
