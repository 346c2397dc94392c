"""Writes for the general assembly."""
