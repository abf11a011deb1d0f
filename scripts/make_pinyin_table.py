"""Write data/lexicon/pinyin.txt: each CJK character's most common pinyin, without tones.

    .venv/bin/pip install pypinyin==0.55.0 && .venv/bin/python scripts/make_pinyin_table.py

A development tool, not run by the product: pypinyin's table (MIT licence, from the
pinyin-data project) costs about 55 MB of memory to import, the extracted file 0.4 MB.
app/ingest/romanize.py reads the file.
"""
from __future__ import annotations

from pathlib import Path

from pypinyin import lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

OUT = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "pinyin.txt"


def main() -> None:
    rows = []
    for code in sorted(pinyin_dict):
        ch = chr(code)
        if not "\u3400" <= ch <= "\u9fff":
            continue
        reading = lazy_pinyin(ch)[0].replace("ü", "v")
        if reading.isascii() and reading.isalpha():
            rows.append(f"{ch}{reading}")
    header = ("# Most common pinyin of each CJK character, no tones (written by scripts/make_pinyin_table.py\n"
              "# from pypinyin 0.55.0, MIT licence; data of the pinyin-data project). One character + pinyin a line.\n")
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} characters → {OUT}")


if __name__ == "__main__":
    main()
