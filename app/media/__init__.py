"""Song files, whatever door they come in by, knowing nothing of Flask requests: the one road
(cataloguing.py: file_checks, placement, covers), the stores (file_store.py: what a store is;
s3.py; configured_stores.py: audio_store() and the other areas), import and check-up."""
