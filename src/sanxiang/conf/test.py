"""Test settings: same as production except fast hashing and a throwaway home."""

import os
import tempfile

os.environ.setdefault("SANXIANG_HOME", tempfile.mkdtemp(prefix="sanxiang-test-"))
os.environ.setdefault("SANXIANG_HTTPS", "0")
os.environ.setdefault("SANXIANG_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from sanxiang.conf.base import *  # noqa: E402,F403
from sanxiang.conf.base import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PUBLIC_API_RATE_LIMIT = 0  # rate-limit tests set their own limit
