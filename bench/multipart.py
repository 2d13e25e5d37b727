"""A multipart form body streamed from disk: a large upload never sits whole in memory."""

from pathlib import Path


def multipart(fields: dict, file_field: str, file_path: Path) -> tuple["MultipartBody", str]:
    """(body, Content-Type) of a multipart form whose file is streamed from disk."""
    boundary = "setlist-bench-boundary"
    head = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
            f"\r\n\r\n{value}\r\n".encode()
            for name, value in fields.items()
        )
        + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file_path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
    )
    tail = f"\r\n--{boundary}--\r\n".encode()
    return MultipartBody(head, file_path, tail), f"multipart/form-data; boundary={boundary}"


class MultipartBody:
    """A request body read from memory, a file on disk, then memory: never all in RAM."""

    def __init__(self, head: bytes, file_path: Path, tail: bytes) -> None:
        self.parts = [head, file_path, tail]
        self.size = len(head) + file_path.stat().st_size + len(tail)
        self.current = None

    def __len__(self) -> int:
        return self.size

    def read(self, size: int = 65536) -> bytes:
        """The next piece of the body."""
        while self.parts or self.current:
            if self.current is None:
                part = self.parts.pop(0)
                self.current = part.open("rb") if isinstance(part, Path) else _Bytes(part)
            data = self.current.read(size)
            if data:
                return data
            self.current.close()
            self.current = None
        return b""


class _Bytes:
    """bytes with a file's read/close."""

    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def read(self, size: int) -> bytes:
        chunk = self.data[self.offset : self.offset + size]
        self.offset += len(chunk)
        return chunk

    def close(self) -> None:
        pass
