"""Pure rules of the disclosure context (公示): redaction policy and engine (去标识化).

Imports nothing from Django; the only sanxiang import is :mod:`sanxiang.core.identifiers`.
"""
