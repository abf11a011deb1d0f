"""/docs: the OpenAPI description as a plain page (Swagger UI would need a CDN and inline script)."""
from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from app.web.deps import render

router = APIRouter(include_in_schema=False)


def schema_text(schema: dict) -> str:
    """A short readable type: `list[string]`, `'a' | 'b'`, `ClaimHit`, `integer ≥ 1`."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(schema_text(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list[{schema_text(schema.get('items', {}))}]"
    if kind == "object" and "additionalProperties" in schema:
        return f"dict[string, {schema_text(schema['additionalProperties'])}]"
    limits = [f"≥ {schema['minimum']}" if "minimum" in schema else "", f"≤ {schema['maximum']}" if "maximum" in schema else "",
              f"≤ {schema['maxLength']} chars" if "maxLength" in schema else ""]
    return " ".join([kind] + [x for x in limits if x])


def inline_code(text: str) -> Markup:
    """Markdown's `code` spans as <code>, everything else escaped."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def describe(spec: dict) -> dict:
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": schema_text(p.get("schema", {})), "default": p.get("schema", {}).get("default"),
                       "description": p.get("description") or p.get("schema", {}).get("description", "")}
                      for p in op.get("parameters", [])]
            responses = []
            for code, resp in op.get("responses", {}).items():
                content = resp.get("content", {})
                types = [f"{ctype}: {schema_text(c.get('schema', {}))}" if c.get("schema") else ctype
                         for ctype, c in content.items()]
                responses.append({"code": code, "description": resp.get("description", ""), "types": types})
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "description": inline_code(op.get("description", "")), "params": params, "responses": responses})
    schemas = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        fields = [{"name": f, "type": schema_text(s), "required": f in required, "description": s.get("description", "")}
                  for f, s in schema.get("properties", {}).items()]
        schemas.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return {"title": spec["info"]["title"], "version": spec["info"]["version"],
            "description": inline_code(spec["info"].get("description", "")), "endpoints": endpoints, "schemas": schemas}


@router.get("/docs", response_class=HTMLResponse)
async def docs(request: Request):
    app = request.app
    if not hasattr(app.state, "docs"):
        app.state.docs = describe(app.openapi())
    return render(request, "docs.html", {"api": app.state.docs})
