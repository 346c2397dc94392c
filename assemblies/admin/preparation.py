"""The general assembly in the admin."""
