#!/usr/bin/env python3
"""Entry point from a checkout: `python scrape.py --help`."""

import sys

from scraper.cli import main

if __name__ == "__main__":
    sys.exit(main())
