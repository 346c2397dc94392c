"""Reads for the general assembly."""
