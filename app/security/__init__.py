"""Accounts and access: roles, our FAB security manager, registration and recovery."""
