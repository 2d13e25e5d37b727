"""The site around the catalog: home page, error pages, health checks, navigation."""
