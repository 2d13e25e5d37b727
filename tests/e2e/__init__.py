"""Browser tests: a real Chromium (Debian's) driven through Playwright, marked `browser`."""
