"""Length-prefixed messages between the grader process and the learner process.

Messages are torch.save payloads read back with `weights_only=True`, so a reply from the
learner process can carry tensors, numbers, strings and containers, and never code.
"""

import io
import os
import select
import struct
import time
import zipfile

_HEADER = struct.Struct("!Q")
MAX_MESSAGE_BYTES = 512 * 2**20


class ChannelClosed(Exception):
    """The other side closed its end (it exited or crashed)."""


class ChannelTimeout(Exception):
    """No complete message arrived before the deadline."""


class ChannelGarbled(Exception):
    """Bytes arrived that are not a message this channel sent."""


def encode(message: object) -> bytes:
    """One framed message."""
    import torch

    buffer = io.BytesIO()
    torch.save(message, buffer)
    payload = buffer.getvalue()
    return _HEADER.pack(len(payload)) + payload


def decode(payload: bytes) -> object:
    """The message in `payload`; only tensors, numbers, strings and containers load, and only
    from a payload as torch.save writes it: stored, not compressed (a compressed record could
    expand a small message into gigabytes in the reader), MAX_MESSAGE_BYTES at most unpacked."""
    import torch

    _expect_uncompressed(payload)
    try:
        return torch.load(io.BytesIO(payload), weights_only=True)
    except Exception as error:
        raise ChannelGarbled(f"unreadable message: {error}") from None


def _expect_uncompressed(payload: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            records = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ChannelGarbled(f"unreadable message: {error}") from None
    if any(record.compress_type != zipfile.ZIP_STORED for record in records):
        raise ChannelGarbled("a compressed message, which this channel never sends")
    if sum(record.file_size for record in records) > MAX_MESSAGE_BYTES:
        raise ChannelGarbled("a message larger than the channel allows")


def write_message(fd: int, message: object, deadline: float | None = None) -> None:
    """Write one message to `fd`, giving up at `deadline` (time.monotonic seconds)."""
    data = memoryview(encode(message))
    while data:
        _wait(fd, deadline, for_writing=True)
        try:
            written = os.write(fd, data)
        except BrokenPipeError:
            raise ChannelClosed("the other side is gone") from None
        except BlockingIOError:
            continue
        data = data[written:]


def read_message(fd: int, deadline: float | None = None) -> object:
    """Read one message from `fd`, giving up at `deadline` (time.monotonic seconds)."""
    (length,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    if length > MAX_MESSAGE_BYTES:
        raise ChannelGarbled(f"message of {length} bytes is larger than allowed")
    return decode(_read_exactly(fd, length, deadline))


def _read_exactly(fd: int, count: int, deadline: float | None) -> bytes:
    chunks = []
    while count:
        _wait(fd, deadline, for_writing=False)
        try:
            chunk = os.read(fd, min(count, 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            raise ChannelClosed("the other side closed the channel")
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _wait(fd: int, deadline: float | None, for_writing: bool) -> None:
    if deadline is None:
        return
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ChannelTimeout
    watched = ([], [fd], []) if for_writing else ([fd], [], [])
    ready = select.select(*watched, remaining)
    if not any(ready):
        raise ChannelTimeout
