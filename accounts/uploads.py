"""The request-size cap for uploads, enforced while the body streams.

Django reads a multipart body to the end before a form can look at a file's
size; this handler refuses the request as soon as it is known to be too big:
at once when the declared Content-Length is over the limit (nothing is read),
and otherwise as the bytes arrive (a chunked body, or a false length)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class UploadTooLarge(RequestDataTooBig):
    """The request body is over UPLOAD_MAX_REQUEST_BYTES (answered with 413)."""


class SizeCapUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_REQUEST_BYTES
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit:
            raise UploadTooLarge(f"request body of {content_length} bytes is over the limit")
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge("request body is over the limit")
        return raw_data

    def file_complete(self, file_size):
        return None
