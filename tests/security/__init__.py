"""Accounts and their security (app/security/): login, registration, passwords, sessions,
permissions, the captcha and rate limits, the audit log."""
