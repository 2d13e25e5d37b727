/* The play queue that outlives the page (filled in by the player work of issue 24). */
