"""Reading a file of sovet's own: whole, cut at a limit, or refused when it is not a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sovet.safe_files import UnsafePath, read_regular


@pytest.mark.parametrize("size", [0, 1, 7, 48_000, (1 << 20) + 3, 3 << 20])
def test_a_file_is_read_whole_or_up_to_one_byte_past_the_limit(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    path = tmp_path / "file"
    path.write_bytes(data)
    assert read_regular(path, 1 << 40) == data
    for limit in {0, 3, max(size - 1, 0), size, size + 1}:
        assert read_regular(path, limit) == data[: limit + 1], limit


def test_a_link_or_a_pipe_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "target").write_bytes(b"text")
    (tmp_path / "link").symlink_to(tmp_path / "target")
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(UnsafePath, match="is a link"):
        read_regular(tmp_path / "link", 100)
    with pytest.raises(UnsafePath, match="not a regular file"):
        read_regular(tmp_path / "pipe", 100)
