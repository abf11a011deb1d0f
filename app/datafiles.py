"""Reading the YAML data files (lexicon, synonyms, manifest, labels) with libyaml when present."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

YAMLError = yaml.YAMLError


# libyaml's loader is ~8x faster than the pure-Python one: it matters for start-up time
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader that refuses a key given twice in one mapping: YAML would keep only the
    last (a second `1.0:` list of cues silently replaced the first)."""

    # YAML 1.2 booleans: true / false only. YAML 1.1 also reads yes, no, on, off as booleans,
    # which turned the stop word "on" and the spelling 诺: no into True / False
    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in getattr(yaml, "CSafeLoader", yaml.SafeLoader).yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) or key is None:
                if key in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep)


_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def read_yaml(path: Path) -> dict:
    """A YAML file's top-level mapping ({} for an empty file); YAMLError when it is not YAML."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader) or {}
