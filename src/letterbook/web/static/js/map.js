// The map of a place, a person or the archive: Natural Earth countries (world-atlas, vendored, so it
// works offline) drawn with d3-geo as SVG, and a marker for each place with coordinates.
// The page lists the same places as links, so nothing is lost without JavaScript.
"use strict";
(async function () {
  const svg = document.getElementById("map");
  const dataElement = document.getElementById("map-data");
  if (!svg || !dataElement || !window.d3 || !window.topojson) return;
  const points = JSON.parse(dataElement.textContent);
  const width = 960, height = 500;
  const root = d3.select(svg);
  const world = await (await fetch("/static/vendor/world-atlas/countries-110m.json")).json();
  const land = topojson.feature(world, world.objects.countries);
  const projection = d3.geoNaturalEarth1();
  if (points.length) {
    // Fit the places with a margin of some degrees, so a single place is shown in its region.
    const lons = points.map((p) => p.lon), lats = points.map((p) => p.lat);
    const pad = 12;
    const box = {type: "MultiPoint", coordinates: [
      [Math.max(-180, Math.min(...lons) - pad), Math.max(-85, Math.min(...lats) - pad)],
      [Math.min(180, Math.max(...lons) + pad), Math.min(85, Math.max(...lats) + pad)]]};
    projection.fitExtent([[20, 20], [width - 20, height - 20]], box);
  } else {
    projection.fitSize([width, height], {type: "Sphere"});
  }
  const path = d3.geoPath(projection);
  root.append("path").attr("class", "sphere").attr("d", path({type: "Sphere"}));
  root.append("g").attr("aria-hidden", "true").selectAll("path").data(land.features).join("path")
    .attr("class", "land").attr("d", path);
  const markers = root.append("g").attr("class", "markers").selectAll("a").data(points).join("a")
    .attr("href", (p) => p.url)
    .attr("aria-label", (p) => `${p.name} (${p.lat.toFixed(2)}, ${p.lon.toFixed(2)})`);
  markers.append("circle").attr("class", "marker").attr("r", 6)
    .attr("cx", (p) => projection([p.lon, p.lat])[0]).attr("cy", (p) => projection([p.lon, p.lat])[1])
    .append("title").text((p) => p.name);
  if (points.length <= 30) {
    markers.append("text").attr("class", "marker-label")
      .attr("x", (p) => projection([p.lon, p.lat])[0] + 9).attr("y", (p) => projection([p.lon, p.lat])[1] + 4)
      .text((p) => p.name);
  }
  // Links inside an image are not reachable by assistive technology: the map becomes a group.
  svg.setAttribute("role", "group");
  svg.dataset.markers = String(points.length);
  svg.dataset.ready = "true";
})();
