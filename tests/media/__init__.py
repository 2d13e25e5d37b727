"""Song files and covers (app/media/): uploads at every door (form, upload page, API, import),
checks by content, tags, duplicates, staging, races, stores, streaming, nothing lost or orphaned."""
