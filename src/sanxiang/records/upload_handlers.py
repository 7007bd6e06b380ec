"""Upload handler that streams multipart files to disk and refuses them past the size limit.

Installed for every request (settings.FILE_UPLOAD_HANDLERS): the limit is checked while
the bytes arrive, never after, and nothing is kept in memory.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils.translation import gettext as _

from sanxiang.core.errors import TooLarge


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """TemporaryFileUploadHandler with SANXIANG_MAX_UPLOAD_BYTES enforced chunk by chunk."""

    def new_file(self, *args, **kwargs):
        self.received = 0
        return super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        limit = settings.MAX_UPLOAD_BYTES
        if self.received > limit:
            self.file.close()
            raise TooLarge("file_too_large", _("The file is larger than the limit of %(limit)d bytes.")
                           % {"limit": limit}, limit=limit, field="file")
        return super().receive_data_chunk(raw_data, start)
