"""The site around the catalog: the home page, error pages, languages, headers, static files,
and hostile or oversized requests answered without a server error."""
