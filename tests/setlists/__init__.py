"""Setlists: their rules, files written for other players and files imported from them."""
