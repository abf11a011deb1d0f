"""Script folding: zhconv converts traditional Chinese, imported without pkg_resources (start-up time)."""
from __future__ import annotations

import subprocess
import sys

from app.config import ROOT

_CHILD = """
import sys
import app.text.normalize as n
print('pkg_resources' in sys.modules, n.to_simplified('這個模型很強大'), n.fold('ＤｅｅｐＳｅｅｋ　發佈'))
"""


def test_zhconv_converts_without_importing_pkg_resources():
    out = subprocess.run([sys.executable, "-c", _CHILD], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "这个模型很强大", "deepseek", "发布"]
    assert "pkg_resources" not in out.stderr  # no deprecation warning either
