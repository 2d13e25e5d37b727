"""The Subsonic/OpenSubsonic API: app passwords, sign-in, methods, a real client."""
