"""Readers: every encoding and oddity either decodes to the right lines or is refused with a reason."""
from __future__ import annotations

import pytest

from app.ingest.readers import UnreadableTranscript, find_transcripts, read_transcript, split_lines

TEXT = "大家好\n兰伯特提到\n开源模型很强\n"


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_utf8_plain(tmp_path):
    t = read_transcript(write(tmp_path, "a.txt", TEXT.encode()))
    assert t.lines == ["大家好", "兰伯特提到", "开源模型很强"]
    assert t.encoding == "utf-8"


def test_utf8_bom_is_not_part_of_line_one(tmp_path):
    t = read_transcript(write(tmp_path, "a.txt", b"\xef\xbb\xbf" + TEXT.encode()))
    assert t.lines[0] == "大家好"
    assert t.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_gb_encodings(tmp_path, codec):
    t = read_transcript(write(tmp_path, "a.txt", TEXT.encode(codec)))
    assert t.lines == ["大家好", "兰伯特提到", "开源模型很强"]
    assert t.encoding == "gb18030"


def test_utf16_with_bom(tmp_path):
    t = read_transcript(write(tmp_path, "a.txt", TEXT.encode("utf-16")))
    assert t.lines[1] == "兰伯特提到"


def test_crlf_and_lone_cr_keep_line_numbers(tmp_path):
    assert read_transcript(write(tmp_path, "a.txt", TEXT.replace("\n", "\r\n").encode())).lines[2] == "开源模型很强"
    assert read_transcript(write(tmp_path, "b.txt", TEXT.replace("\n", "\r").encode())).lines[2] == "开源模型很强"


def test_blank_lines_are_kept_so_numbers_match_the_file(tmp_path):
    t = read_transcript(write(tmp_path, "a.txt", "一\n\n三\n".encode()))
    assert t.lines == ["一", "", "三"]


def test_split_lines_ignores_unicode_line_separators():
    # str.splitlines would split on \u2028 and \x0b; `nl -ba` does not
    assert split_lines("a\u2028b\nc") == ["a\u2028b", "c"]


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"\n\n   \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
])
def test_refused_with_reason(tmp_path, data, reason):
    with pytest.raises(UnreadableTranscript, match=reason):
        read_transcript(write(tmp_path, "x.txt", data))


def test_too_large_is_refused(tmp_path):
    p = write(tmp_path, "big.txt", ("很长的一行" * 1000 + "\n").encode() * 10)
    with pytest.raises(UnreadableTranscript, match="too large"):
        read_transcript(p, max_bytes=1000)


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableTranscript, match="no such file"):
        read_transcript(tmp_path / "nope.txt")


def test_folder_expansion_skips_other_files_with_reason(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "notes.jsonl").write_text("{}")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("y")
    files, skipped = find_transcripts([tmp_path])
    assert [f.name for f in files] == ["a.txt", "b.txt"]
    assert [(p.name, "not a transcript" in why) for p, why in skipped] == [("notes.jsonl", True)]
