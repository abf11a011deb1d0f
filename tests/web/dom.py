"""A tiny HTML tree from the standard library's parser, enough to check pages by structure."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)
    parent: "Node | None" = None

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def inner_html(self) -> str:
        return "".join(c if isinstance(c, str) else c.outer_html for c in self.children)

    @property
    def outer_html(self) -> str:
        attrs = "".join(f' {k}="{v}"' if v is not None else f" {k}" for k, v in self.attrs.items())
        return f"<{self.tag}{attrs}>{self.inner_html}</{self.tag}>"

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, selector: str) -> list["Node"]:
        """`tag`, `.class`, `#id`, `tag.class`, `tag[attr]`, `tag[attr=value]`, descendant chains with spaces."""
        parts = selector.split()
        found = [n for n in self.iter() if _matches(n, parts[-1])]
        return [n for n in found if _ancestors_match(n, parts[:-1])]

    def find(self, selector: str) -> "Node | None":
        found = self.find_all(selector)
        return found[0] if found else None

    def one(self, selector: str) -> "Node":
        found = self.find_all(selector)
        assert len(found) == 1, f"{selector!r}: {len(found)} matches"
        return found[0]


_SIMPLE = re.compile(r"^(?P<tag>[a-z0-9-]*)(?P<rest>(?:[.#][\w-]+|\[[^\]]+\])*)$")


def _matches(node: Node, simple: str) -> bool:
    m = _SIMPLE.match(simple)
    assert m, f"unsupported selector {simple!r}"
    if m["tag"] and node.tag != m["tag"]:
        return False
    for kind, value in re.findall(r"([.#])([\w-]+)", re.sub(r"\[[^\]]+\]", "", m["rest"])):
        if kind == "." and value not in node.classes:
            return False
        if kind == "#" and node.get("id") != value:
            return False
    for cond in re.findall(r"\[([^\]]+)\]", m["rest"]):
        name, _, value = cond.partition("=")
        if name not in node.attrs or (value and node.attrs[name] != value.strip("\"'")):
            return False
    return True


def _ancestors_match(node: Node, parts: list[str]) -> bool:
    current = node.parent
    for simple in reversed(parts):
        while current is not None and not _matches(current, simple):
            current = current.parent
        if current is None:
            return False
        current = current.parent
    return True


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
