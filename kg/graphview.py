"""An entity's neighbourhood as one self-contained HTML page: SVG plus a small force layout.

Written by hand instead of pyvis because pyvis loads its scripts from a CDN even in "local"
mode, and the app must work offline. The page holds its data as JSON in a ``<script>`` block
(``</`` escaped, so labels cannot close it) and puts labels into the DOM with ``textContent``
only, so text from an ingested document cannot inject markup.

Interaction: drag a node to move it (it stays pinned), hover a node for its full label and
kind and to show its edges' labels (edge labels are hidden otherwise, so they never pile up),
hover an edge for its property, click to highlight, double-click to open its page in the app
(``?tab=explore&entity=IRI``). Node labels are kept inside the picture: a node is never placed
where its label would be cut off, and the centre stays in the middle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

#: Node colours by kind; anything else gets the default.
PALETTE: dict[str, str] = {
    "centre": "#d62728",
    "class": "#9e9e9e",
    "Coating": "#1f77b4",
    "Study": "#2ca02c",
    "Material": "#ff7f0e",
    "Measurement": "#8c564b",
    "entity": "#17becf",
    "group": "#bdbdbd",
}


def graph_payload(
    nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]], *, max_label: int = 22
) -> dict[str, Any]:
    """The JSON the page draws: nodes with short labels and colours, edges between known nodes.

    Edges whose ends are not among the nodes are dropped (the neighbourhood was cut at its
    node limit); parallel edges with the same label are merged.

    >>> p = graph_payload([{"id": "a", "label": "A"}], [{"source": "a", "target": "b", "label": "x"}])
    >>> len(p["nodes"]), len(p["edges"])
    (1, 0)
    """
    known: dict[str, dict[str, Any]] = {}
    for n in nodes:
        label = str(n.get("label") or n["id"])
        kind = "centre" if n.get("centre") else str(n.get("kind") or "entity")
        known[str(n["id"])] = {
            "id": str(n["id"]),
            "label": label,
            "short": label if len(label) <= max_label else label[: max_label - 1] + "…",
            "kind": str(n.get("kind") or "entity"),
            "centre": bool(n.get("centre")),
            "color": PALETTE.get(kind, PALETTE["entity"]),
        }
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for e in edges:
        key = (str(e["source"]), str(e["target"]), str(e.get("label") or ""))
        if key[0] in known and key[1] in known and key[0] != key[1] and key not in seen:
            seen.add(key)
            kept.append({"source": key[0], "target": key[1], "label": key[2]})
    return {"nodes": list(known.values()), "edges": kept}


def _script_json(data: Any) -> str:
    """JSON safe to place inside ``<script>``: no ``</script>``, no ``<!--``, no U+2028."""
    text = json.dumps(data, ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_TEMPLATE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>
 html,body{margin:0;padding:0;font-family:sans-serif;background:#fff}
 svg{width:100%;height:__HEIGHT__px;display:block;border:1px solid #e6e6e6;border-radius:6px;cursor:grab}
 .edge{stroke:#b8b8b8;stroke-width:1.2}
 .edge.hot{stroke:#d62728;stroke-width:2.2}
 .elabel{font-size:10px;fill:#555;pointer-events:none;display:none;paint-order:stroke;stroke:#fff;stroke-width:3px}
 .elabel.show{display:block}
 .hit{stroke:transparent;stroke-width:10;cursor:help}
 .node circle{stroke:#fff;stroke-width:1.5;cursor:pointer}
 .node text{font-size:11px;fill:#222;pointer-events:none;paint-order:stroke;stroke:#fff;stroke-width:3px}
 .node.dim{opacity:.25}
 #tip{position:absolute;display:none;background:#222;color:#fff;font-size:12px;padding:4px 7px;border-radius:4px;pointer-events:none;max-width:340px}
 #help{position:absolute;right:8px;top:6px;font-size:11px;color:#999}
</style></head>
<body>
<div id="help">hover for names · drag · click to highlight · double-click to open</div>
<div id="tip"></div>
<svg id="g" xmlns="http://www.w3.org/2000/svg"></svg>
<script id="data" type="application/json">__DATA__</script>
<script>
(function(){
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var svg = document.getElementById("g"), tip = document.getElementById("tip");
  var NS = "http://www.w3.org/2000/svg";
  var W = svg.getBoundingClientRect().width || window.innerWidth || 800, H = __HEIGHT__;
  var r = 60;  // set once labels are measured
  var byId = {}, nodes = data.nodes, edges = data.edges;
  // Radial start: the centre in the middle, neighbours on a circle, so the layout settles fast.
  var others = nodes.filter(function(n){return !n.centre;});
  nodes.forEach(function(n){
    byId[n.id] = n;
    if (n.centre) { n.x = W/2; n.y = H/2; n.fixed = true; }
  });
  nodes.forEach(function(n){ n.vx = 0; n.vy = 0; });
  function el(name, attrs, parent){
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    (parent || svg).appendChild(e); return e;
  }
  var edgeLayer = el("g", {}), nodeLayer = el("g", {});
  edges.forEach(function(e){
    e.line = el("line", {"class": "edge"}, edgeLayer);
    e.hit = el("line", {"class": "hit"}, edgeLayer);
    var t = el("title", {}, e.hit); t.textContent = e.label;
    e.text = el("text", {"class": "elabel", "text-anchor": "middle"}, edgeLayer);
    e.text.textContent = e.label;
    e.hit.addEventListener("mouseenter", function(){ e.text.setAttribute("class", "elabel show"); });
    e.hit.addEventListener("mouseleave", function(){ e.text.setAttribute("class", "elabel"); });
  });
  var widest = 0;
  nodes.forEach(function(n){
    n.g = el("g", {"class": "node"}, nodeLayer);
    n.circle = el("circle", {r: n.centre ? 11 : 7, fill: n.color}, n.g);
    n.text = el("text", {x: 10, y: 4}, n.g);
    n.text.textContent = n.short;
    n.w = (n.text.getComputedTextLength && n.text.getComputedTextLength()) || 7 * n.short.length;
    if (!n.centre) widest = Math.max(widest, n.w);
  });
  // Ring radius: room for the widest label outside the ring on both sides.
  r = Math.max(60, Math.min(H*0.40, W/2 - widest - 24));
  others.forEach(function(n, i){
    var a = 2*Math.PI*i/Math.max(1, others.length);
    n.x = W/2 + r*Math.cos(a); n.y = H/2 + r*Math.sin(a);
  });
  function keepInside(n){
    // Labels point outward: a node left of the middle needs its label's width on its left.
    var left = n.x < W/2 && !n.centre;
    var lo = left ? n.w + 16 : 12, hi = left ? W - 12 : W - n.w - 16;
    n.x = Math.max(lo, Math.min(hi, n.x)); n.y = Math.max(12, Math.min(H - 12, n.y));
  }
  function draw(){
    edges.forEach(function(e){
      var a = byId[e.source], b = byId[e.target];
      e.line.setAttribute("x1", a.x); e.line.setAttribute("y1", a.y);
      e.line.setAttribute("x2", b.x); e.line.setAttribute("y2", b.y);
      e.hit.setAttribute("x1", a.x); e.hit.setAttribute("y1", a.y);
      e.hit.setAttribute("x2", b.x); e.hit.setAttribute("y2", b.y);
      // At 60% of the way out, so labels of edges sharing a hub do not pile up on it.
      e.text.setAttribute("x", a.x + (b.x-a.x)*0.6); e.text.setAttribute("y", a.y + (b.y-a.y)*0.6 - 2);
    });
    nodes.forEach(function(n){
      n.g.setAttribute("transform", "translate(" + n.x + "," + n.y + ")");
      // Labels point outward from the middle, so they do not cross the hub's edges.
      var left = n.x < W/2 && !n.centre;
      n.text.setAttribute("x", left ? -10 : 10);
      n.text.setAttribute("text-anchor", left ? "end" : "start");
    });
  }
  var alpha = 1;
  function step(){
    var i, j, a, b, dx, dy, d2, d, f;
    for (i = 0; i < nodes.length; i++) for (j = i+1; j < nodes.length; j++) {
      a = nodes[i]; b = nodes[j]; dx = b.x - a.x; dy = b.y - a.y;
      d2 = dx*dx + dy*dy + 0.01; f = 1600 / d2; d = Math.sqrt(d2);
      a.vx -= f*dx/d; a.vy -= f*dy/d; b.vx += f*dx/d; b.vy += f*dy/d;
    }
    edges.forEach(function(e){
      a = byId[e.source]; b = byId[e.target]; dx = b.x - a.x; dy = b.y - a.y;
      d = Math.sqrt(dx*dx + dy*dy) + 0.01; f = (d - r) * 0.02;
      a.vx += f*dx/d; a.vy += f*dy/d; b.vx -= f*dx/d; b.vy -= f*dy/d;
    });
    nodes.forEach(function(n){
      n.vx += (W/2 - n.x) * 0.002; n.vy += (H/2 - n.y) * 0.002;
      if (!n.fixed) {
        n.x += Math.max(-20, Math.min(20, n.vx * alpha));
        n.y += Math.max(-20, Math.min(20, n.vy * alpha));
        keepInside(n);
      }
      n.vx *= 0.55; n.vy *= 0.55;
    });
    alpha *= 0.985;
  }
  function tick(){ step(); draw(); if (alpha > 0.02) requestAnimationFrame(tick); }
  function reheat(){ var idle = alpha <= 0.02; alpha = Math.max(alpha, 0.3); if (idle) requestAnimationFrame(tick); }
  function pos(ev){ var r = svg.getBoundingClientRect(); return {x: ev.clientX - r.left, y: ev.clientY - r.top}; }
  var dragging = null;
  nodes.forEach(function(n){
    n.g.addEventListener("mousedown", function(ev){ dragging = n; n.fixed = true; ev.preventDefault(); });
    n.g.addEventListener("mouseenter", function(ev){
      tip.textContent = n.label + "  ·  " + n.kind; tip.style.display = "block";
      edges.forEach(function(e){
        if (e.source === n.id || e.target === n.id) e.text.setAttribute("class", "elabel show");
      });
    });
    n.g.addEventListener("mousemove", function(ev){
      tip.style.left = (ev.pageX + 12) + "px"; tip.style.top = (ev.pageY + 12) + "px";
    });
    n.g.addEventListener("mouseleave", function(){
      tip.style.display = "none";
      edges.forEach(function(e){ e.text.setAttribute("class", "elabel"); });
    });
    n.g.addEventListener("click", function(){
      var near = {}; near[n.id] = true;
      edges.forEach(function(e){
        var hot = e.source === n.id || e.target === n.id;
        e.line.setAttribute("class", hot ? "edge hot" : "edge");
        if (hot) { near[e.source] = true; near[e.target] = true; }
      });
      nodes.forEach(function(m){ m.g.setAttribute("class", near[m.id] ? "node" : "node dim"); });
    });
    n.g.addEventListener("dblclick", function(){
      if (n.kind === "group") return;  // a group is not an entity: its members are in the tables
      try {
        var top = window.top.location;
        top.href = top.pathname + "?tab=explore&entity=" + encodeURIComponent(n.id);
      } catch (err) { /* a sandboxed frame cannot navigate the app: clicking still highlights */ }
    });
  });
  svg.addEventListener("mousemove", function(ev){
    if (!dragging) return; var p = pos(ev); dragging.x = p.x; dragging.y = p.y; draw(); reheat();
  });
  window.addEventListener("mouseup", function(){ dragging = null; });
  draw(); requestAnimationFrame(tick);
})();
</script></body></html>
"""


def render_html(
    nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]], *, height: int = 460
) -> str:
    """A complete HTML page drawing the graph; no network access, no external scripts."""
    payload = graph_payload(nodes, edges)
    return _TEMPLATE.replace("__HEIGHT__", str(int(height))).replace(
        "__DATA__", _script_json(payload)
    )
