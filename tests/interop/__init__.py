"""Interoperability tests: the project's public artefacts checked by code the project did not write."""
