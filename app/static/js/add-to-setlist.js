/* Add to setlist: the picker of one's setlists (issue 26, being built). */
