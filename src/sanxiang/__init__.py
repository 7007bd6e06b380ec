"""Sanxiang (三项制度): enforcement publicity, whole-process recording and legal review."""

__version__ = "0.1.0"
