"""Reading Server-Sent Events from a streamed ``requests`` response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

__all__ = ["SseMessage", "read_sse"]


@dataclass(frozen=True)
class SseMessage:
    event: str
    id: str | None
    data: str


def read_sse(chunks: Iterable[bytes], on_retry: Callable[[int], None] | None = None) -> Iterator[SseMessage]:
    """Yields each message (comments and empty blocks skipped) until the chunks end.

    ``on_retry`` gets each ``retry:`` (ms), the server's reconnection time, wherever it comes.
    """
    buffer = b""
    for chunk in chunks:
        if not chunk:
            continue
        buffer += chunk.replace(b"\r\n", b"\n")
        while True:
            end = buffer.find(b"\n\n")
            if end < 0:
                break
            block, buffer = buffer[:end].decode("utf-8"), buffer[end + 2 :]
            event, id_, data = "message", None, []
            for line in block.split("\n"):
                if line == "" or line.startswith(":"):
                    continue
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "event":
                    event = value
                elif name == "id":
                    id_ = value
                elif name == "data":
                    data.append(value)
                elif name == "retry" and value.isdigit() and on_retry is not None:
                    on_retry(int(value))
            if data:
                yield SseMessage(event, id_, "\n".join(data))
