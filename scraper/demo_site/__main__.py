"""`python -m scraper.demo_site` serves the demo site until Ctrl-C."""

from scraper.demo_site.demo import main

raise SystemExit(main())
