"""Streaming upload handler: each file goes straight to a staged file in evidence storage while it is hashed.

Django's default handlers keep small files in memory and large ones in the system temp directory; this one
writes every chunk to EVIDENCE_ROOT/tmp (the same filesystem as the final path, so storing is a rename) and
updates the SHA-256 on the way. A file over the size limit is skipped and reported, not stored.
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from verify.evidence.storage import FileTooLarge, StagedFile


class StagedUploadedFile(UploadedFile):
    """An uploaded file that is already hashed and staged; closing it removes the staged copy unless stored."""

    def __init__(self, staged: StagedFile, *, name: str, content_type: str, charset: str | None):
        self.staged = staged
        super().__init__(
            file=None, name=name, content_type=content_type, size=staged.size, charset=charset, content_type_extra={}
        )

    @property
    def sha256(self) -> str:
        return self.staged.sha256

    def open(self, mode: str = "rb"):
        self.file = self.staged.path.open(mode)
        return self

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        self.staged.discard()


class EvidenceUploadHandler(FileUploadHandler):
    # Large chunks keep the per-chunk Python overhead small next to hashing and writing.
    chunk_size = 1024 * 1024

    def __init__(self, request=None):
        super().__init__(request)
        self.staged: list[StagedFile] = []
        self.rejected: list[tuple[str, str, str]] = []  # (file name, reason code, message)
        self.current: StagedFile | None = None

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.current = StagedFile(max_bytes=settings.EVIDENCE_MAX_UPLOAD_BYTES)
        self.staged.append(self.current)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        try:
            self.current.write(raw_data)
        except FileTooLarge as exc:
            self.current.discard()
            self.current = None
            self.rejected.append((self.file_name, "too_large", str(exc)))
            raise SkipFile from exc
        return None

    def file_complete(self, file_size: int) -> StagedUploadedFile | None:
        if self.current is None:
            return None
        self.current.finish()
        uploaded = StagedUploadedFile(
            self.current, name=self.file_name, content_type=self.content_type, charset=self.charset
        )
        self.current = None
        return uploaded

    def upload_interrupted(self) -> None:
        # Django calls this whenever the last file did not complete: the client went away mid-file, or the last
        # file was skipped for its size. Only that file is dropped; the files before it are complete and are
        # stored (the view discards whatever is left at the end of the request).
        if self.current is not None:
            self.current.discard()
            self.current = None

    def discard_all(self) -> None:
        for staged in self.staged:
            staged.discard()
        self.current = None

    @property
    def file(self):
        """MultiPartParser closes `handler.file` on SkipFile and StopUpload; a staged file closes by discarding."""
        return _Discarder(self)


class _Discarder:
    def __init__(self, handler: EvidenceUploadHandler):
        self.handler = handler

    def close(self) -> None:
        if self.handler.current is not None:
            self.handler.current.discard()
