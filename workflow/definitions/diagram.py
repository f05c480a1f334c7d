"""Draw a definition as Mermaid, Graphviz DOT or a self-contained SVG (no external service).

All three come from the same definition: stages in file order, one arrow per gate, and a
dashed arrow where a recycle goes somewhere other than the gate's own stage.
"""

from __future__ import annotations

from html import escape

from workflow.definitions import Definition, Gate

FORMATS = ("mermaid", "dot", "svg")

#: the dashed arrow's label, in the diagram's language
RECYCLE = {"nb": "send tilbake", "en": "recycle"}


def _recycle(language: str) -> str:
    return RECYCLE.get(language, RECYCLE["en"])


def _lines(text: str, width: int) -> list[str]:
    """``text`` broken at spaces into lines of about ``width`` characters (at most three)."""
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > 3:
        out = [*out[:2], " ".join(out[2:])]
    return out or [""]


def _text(x: float, y: float, text: str, width: int, size: int, **attrs: str) -> str:
    """An SVG text centred on ``y`` vertically, wrapped into tspans of about ``width`` chars."""
    lines = _lines(text, width)
    step = size * 1.15
    top = y - step * (len(lines) - 1) / 2
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    spans = "".join(
        f'<tspan x="{x}" y="{top + n * step:.1f}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text font-size="{size}"{extra}>{spans}</text>'


def gate_label(gate: Gate, language: str) -> str:
    """A gate's title, with its decision point first when it has one (``BP2: Ready``)."""
    title = gate.title.get(language)
    point = gate.decision_point
    return f"{point.get(language)}: {title}" if point is not None else title


def mermaid(d: Definition, *, language: str = "nb", highlight: str | None = None) -> str:
    """The definition as a Mermaid flowchart; ``highlight`` marks a stage."""
    lines = ["flowchart TD"]
    for s in d.stages:
        label = s.title.get(language).replace('"', "'")
        shape = f'(["{label}"])' if s.final else f'["{label}"]'
        lines.append(f"    {s.key}{shape}")
    for g in d.gates:
        label = gate_label(g, language).replace('"', "'").replace("|", "/")
        lines.append(f'    {g.from_} -->|"{label}"| {g.to}')
        if g.recycle_to and g.recycle_to != g.from_:
            lines.append(f"    {g.from_} -.->|{_recycle(language)}| {g.recycle_to}")
    if highlight:
        lines.append("    classDef current fill:#ffd54f,stroke:#333,stroke-width:3px")
        lines.append(f"    class {highlight} current")
    return "\n".join(lines) + "\n"


def dot(d: Definition, *, language: str = "nb", highlight: str | None = None) -> str:
    """The definition as a Graphviz DOT digraph; ``highlight`` marks a stage."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"digraph {q(d.key)} {{", "    rankdir=TB;", "    node [shape=box, style=rounded];"]
    for s in d.stages:
        attrs = [f"label={q(s.title.get(language))}"]
        if s.final:
            attrs.append("peripheries=2")
        if s.key == highlight:
            attrs.append('style="rounded,filled,bold", fillcolor="#ffd54f"')
        lines.append(f"    {q(s.key)} [{', '.join(attrs)}];")
    for g in d.gates:
        lines.append(f"    {q(g.from_)} -> {q(g.to)} [label={q(gate_label(g, language))}];")
        if g.recycle_to and g.recycle_to != g.from_:
            lines.append(
                f"    {q(g.from_)} -> {q(g.recycle_to)} [style=dashed, "
                f"label={q(_recycle(language))}];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"


# compact, so that the diagram keeps readable text when scaled into a 360 px column
BOX_W, BOX_H, GAP, LEFT, TOP = 210, 52, 48, 4, 24
LANE, LABEL_W = 24, 130


def _y(index: int) -> int:
    return TOP + index * (BOX_H + GAP)


def svg(d: Definition, *, language: str = "nb", highlight: str | None = None) -> str:
    """The definition as an accessible SVG: stages top to bottom, gates as arrows.

    Gates to the next stage are straight arrows; any other gate (back, skipping ahead, or
    repeating a stage) bends around on the right, each in its own lane.
    """
    index = {s.key: i for i, s in enumerate(d.stages)}
    edges = [(g.from_, g.to, gate_label(g, language), False) for g in d.gates]
    edges += [
        (g.from_, g.recycle_to, _recycle(language), True)
        for g in d.gates
        if g.recycle_to and g.recycle_to != g.from_
    ]
    lanes = [e for e in edges if index[e[1]] != index[e[0]] + 1]
    width = LEFT + BOX_W + 24 + LANE * len(lanes) + LABEL_W
    height = _y(len(d.stages)) + 10
    title = escape(d.title.get(language))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="diagram-{d.key}-title" '
        'class="workflow-diagram" font-family="system-ui, sans-serif" font-size="16">',
        f'<title id="diagram-{d.key}-title">{title}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#333"/></marker></defs>',
    ]
    for s in d.stages:
        y = _y(index[s.key])
        current = s.key == highlight
        fill = "#ffd54f" if current else ("#e8f5e9" if s.final else "#f4f6fa")
        stroke_w = 3 if current else 1.5
        marker = " (nå)" if current and language == "nb" else (" (now)" if current else "")
        text = _text(
            LEFT + BOX_W / 2,
            y + BOX_H / 2 + 5,
            s.title.get(language) + marker,
            22,
            16,
            text_anchor="middle",
            fill="#111",
        )
        out.append(
            f'<g class="stage{" current" if current else ""}" data-stage="{s.key}">'
            f'<rect x="{LEFT}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="10" fill="{fill}" '
            f'stroke="#1a1a1a" stroke-width="{stroke_w}"/>{text}</g>'
        )
    cx = LEFT + BOX_W / 2
    for src, dst, label, dashed in edges:
        i, j = index[src], index[dst]
        y1: float
        y2: float
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        if j == i + 1:
            y1, y2 = _y(i) + BOX_H, _y(j)
            out.append(
                f'<line x1="{cx}" y1="{y1}" x2="{cx}" y2="{y2 - 2}" stroke="#333" '
                f'stroke-width="1.5" marker-end="url(#arrow)"{dash}/>'
            )
            out.append(_text(cx + 8, (y1 + y2) / 2 + 5, label, 20, 14, fill="#333"))
            continue
        lane = lanes.index((src, dst, label, dashed))
        x_out = LEFT + BOX_W
        x_lane = x_out + 18 + LANE * lane
        y1 = _y(i) + BOX_H / 2 - 8
        y2 = _y(j) + BOX_H / 2 + 8
        path = f"M{x_out},{y1} H{x_lane} V{y2} H{x_out + 2}"
        out.append(
            f'<path d="{path}" fill="none" stroke="#555" stroke-width="1.5" '
            f'marker-end="url(#arrow)"{dash}/>'
        )
        out.append(_text(x_lane + 5, (y1 + y2) / 2 + 4, label, 14, 14, fill="#333"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def draw(d: Definition, fmt: str, *, language: str = "nb", highlight: str | None = None) -> str:
    """Draw ``d`` in ``fmt`` (mermaid, dot or svg)."""
    drawer = {"mermaid": mermaid, "dot": dot, "svg": svg}[fmt]
    return drawer(d, language=language, highlight=highlight)
