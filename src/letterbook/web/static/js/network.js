// The correspondence network: people as circles (sized by their letters), letters between two
// people as lines (thicker for more). The layout is d3-force's, computed before drawing so the page
// does not move; drag to pan and scroll to zoom; each name is a link to the person's page.
// The page lists the same pairs as a table, so nothing is lost without JavaScript.
"use strict";
(function () {
  const svg = document.getElementById("network");
  const dataElement = document.getElementById("network-data");
  if (!svg || !dataElement || !window.d3) return;
  const graph = JSON.parse(dataElement.textContent);
  const width = 960, height = 600;
  const nodes = graph.nodes.map((n) => Object.assign({}, n));
  const known = new Set(nodes.map((n) => n.id));
  const links = graph.edges.filter((e) => known.has(e.source) && known.has(e.target))
    .map((e) => ({source: e.source, target: e.target, letters: e.letters}));
  const size = d3.scaleSqrt().domain([1, d3.max(nodes, (n) => n.letters) || 1]).range([4, 22]);
  const weight = d3.scaleSqrt().domain([1, d3.max(links, (l) => l.letters) || 1]).range([1, 8]);
  const simulation = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id((n) => n.id).distance(90))
    .force("charge", d3.forceManyBody().strength(-220))
    .force("collide", d3.forceCollide((n) => size(n.letters) + 4))
    .force("center", d3.forceCenter(width / 2, height / 2))
    .stop();
  for (let i = 0; i < 300; i++) simulation.tick();

  // Fit the drawing to the laid-out graph, with room for the names to the right of the circles.
  if (nodes.length) {
    const [x0, x1] = d3.extent(nodes, (n) => n.x), [y0, y1] = d3.extent(nodes, (n) => n.y);
    const pad = 30;
    const w = Math.max(x1 - x0 + 2 * pad + 160, 300), h = Math.max(y1 - y0 + 2 * pad, 200);
    svg.setAttribute("viewBox", `${x0 - pad} ${y0 - pad} ${w} ${h}`);
  }
  const root = d3.select(svg);
  const view = root.append("g");
  root.call(d3.zoom().scaleExtent([0.2, 6]).on("zoom", (event) => view.attr("transform", event.transform)));
  view.append("g").attr("aria-hidden", "true").selectAll("line").data(links).join("line")
    .attr("class", "edge").attr("stroke-width", (l) => weight(l.letters))
    .attr("x1", (l) => l.source.x).attr("y1", (l) => l.source.y)
    .attr("x2", (l) => l.target.x).attr("y2", (l) => l.target.y)
    .append("title").text((l) => `${l.source.name} – ${l.target.name}: ${l.letters} letters`);
  const node = view.append("g").selectAll("a").data(nodes).join("a")
    .attr("class", (n) => "node" + (graph.centre === n.id ? " centre" : ""))
    .attr("href", (n) => n.url || `/people/${encodeURIComponent(n.id)}`)
    .attr("aria-label", (n) => `${n.name}: ${n.letters} letters`)
    .attr("transform", (n) => `translate(${n.x},${n.y})`);
  node.append("circle").attr("r", (n) => size(n.letters)).append("title").text((n) => `${n.name}: ${n.letters} letters`);
  node.append("text").attr("x", (n) => size(n.letters) + 3).attr("y", 4).text((n) => n.name);
  svg.setAttribute("role", "group");
  svg.dataset.nodes = String(nodes.length);
  svg.dataset.edges = String(links.length);
  svg.dataset.ready = "true";
})();
