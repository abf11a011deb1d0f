"""Reading the YAML data files (lexicon, synonyms, manifest, labels) with libyaml when present."""
from __future__ import annotations

from pathlib import Path

import yaml

# libyaml's loader is ~8x faster than the pure-Python one: it matters for start-up time
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def read_yaml(path: Path) -> dict:
    """A YAML file's top-level mapping ({} for an empty file); YAMLError when it is not YAML."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader) or {}
