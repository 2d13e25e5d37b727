"""The JSON API (/api/v1/): its resources, permissions, tokens, CORS and documented answers."""
