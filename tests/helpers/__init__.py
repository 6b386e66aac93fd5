"""Helpers shared by tests: small real servers on 127.0.0.1."""
