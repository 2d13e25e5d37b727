"""The catalog people browse and edit: songs, albums, authors, their files, covers and uploads."""
