"""How every door answers (views, security, the API): JSON, one-message pages, outage
pages, the language; below all of them, above the models and media."""
