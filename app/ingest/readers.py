"""Transcript files → decoded lines. Refuses what is not a text transcript, with a reason."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

TRANSCRIPT_SUFFIXES = {".txt", ".text", ".srt", ".vtt", ""}


class UnreadableTranscript(ValueError):
    """The file cannot be ingested; str(exc) is a one-line reason."""


@dataclass
class Transcript:
    path: Path
    lines: list[str]
    encoding: str
    sha256: str

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 13, 12))  # deleted before counting


def _looks_binary(data: bytes) -> bool:
    """A NUL byte, or more than 1% control characters (besides tab, line ends, form feed), in the first 64 KB."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))
    return controls > max(8, len(sample) // 100)


def decode(data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding): UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030 (GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableTranscript(f"has a UTF-16 mark but does not decode ({exc.reason})") from exc
    if _looks_binary(data):
        raise UnreadableTranscript("binary file, not a text transcript")
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableTranscript("text in an unknown encoding (not UTF-8, UTF-16 or GB18030/GBK)") from exc


def split_lines(text: str) -> list[str]:
    """Lines as `nl -ba` numbers them: split on \\n (CRLF and lone CR too), no trailing empty line."""
    if "\n" in text:
        text = text.replace("\r\n", "\n")
        lines = [line.rstrip("\r") for line in text.split("\n")]
    else:
        lines = text.split("\r")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_transcript(path: Path, *, max_bytes: int = 50 * 1024 * 1024) -> Transcript:
    """Read and decode one transcript file, or raise UnreadableTranscript with the reason."""
    path = Path(path)
    if not path.exists():
        raise UnreadableTranscript("no such file")
    if not path.is_file():
        raise UnreadableTranscript("not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableTranscript(f"too large ({size / 1e6:.1f} MB, the limit is {max_bytes / 1e6:.0f} MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableTranscript(f"cannot be read ({exc.strerror})") from exc
    text, encoding = decode(data)
    lines = split_lines(text)
    if not any(line.strip() for line in lines):
        raise UnreadableTranscript("empty transcript (no text lines)")
    return Transcript(path=path, lines=lines, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


def find_transcripts(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand folders: (files to ingest, [(file, why skipped)]). Named files are always tried."""
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in TRANSCRIPT_SUFFIXES:
                    files.append(child)
                else:
                    skipped.append((child, f"not a transcript file ({child.suffix})"))
        else:
            files.append(path)
    return files, skipped
