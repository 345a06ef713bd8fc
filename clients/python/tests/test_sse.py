"""The Server-Sent Events reader: messages across chunk boundaries, comments skipped, and the
server's ``retry:`` (the reconnect window it scales to the streams it holds) told wherever it comes."""

from __future__ import annotations

from tradai_client.sse import SseMessage, read_sse


def test_messages_split_across_chunks_and_comments_skipped() -> None:
    chunks = [b"retry: 1000\n\nevent: snap", b"shot\nid: 3\ndata: {\"a\":", b"1}\n\n: heartbeat\n\n"]
    assert list(read_sse(chunks)) == [SseMessage("snapshot", "3", '{"a":1}')]


def test_every_retry_is_told_also_in_a_heartbeat_block() -> None:
    told: list[int] = []
    chunks = [b"retry: 1000\n\n", b"event: change\nid: 4\ndata: {}\n\n", b"retry: 5000\n: heartbeat\n\n", b"retry: soon\n\n"]
    messages = list(read_sse(chunks, on_retry=told.append))
    assert told == [1000, 5000]
    assert [m.id for m in messages] == ["4"]
