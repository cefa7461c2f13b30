/* newskg graph page: draws the embedded newskg-graph-json data with Cytoscape.js.
   Everything is built with DOM calls and textContent (never innerHTML), so article text cannot
   inject markup; only http(s) links are made clickable. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  // Colours and legend names of entity and link types come from the schema registry
  // (kg/schema.py page_schema), embedded by kg/viz with the data.
  var schema = data.schema;
  var TYPE_COLORS = schema.entity_colors;
  var OTHER_COLOR = "#7a8294";
  var LINK_COLORS = schema.link_colors;
  var LINK_NAMES = schema.link_names;
  // Readability on large pages: names on the most connected nodes only (all names on hover,
  // selection, search or when zoomed in), link captions only on small pages, unconnected
  // entities hidden until asked for.
  var LABELLED_NODES = 40;
  var EDGE_LABELS_UP_TO = 80;
  var ZOOM_FOR_ALL_LABELS = 1.4;

  var root = document.documentElement;
  var articles = {};
  var claims = {};
  var nodesById = {};
  data.articles.forEach(function (a) { articles[a.id] = a; });
  data.claims.forEach(function (c) { claims[c.id] = c; });
  data.nodes.forEach(function (n) { nodesById[n.id] = n; });

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function typeColor(type) { return TYPE_COLORS[type] || OTHER_COLOR; }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }
  function articleDate(id) { var a = articles[id]; return a && a.published ? a.published : null; }
  function claimDates(claim) {
    return claim.reports.map(function (r) { return articleDate(r.article); }).filter(Boolean);
  }

  // Dates per node: the articles mentioning it and the reports of facts involving it.
  var nodeDates = {};
  var nodeClaims = {};
  data.nodes.forEach(function (n) {
    nodeDates[n.id] = n.articles.map(articleDate).filter(Boolean);
    nodeClaims[n.id] = [];
  });
  data.claims.forEach(function (c) {
    var involved = [c.subject, c.object].concat(c.about || []);
    involved.forEach(function (id) {
      if (id && nodeClaims[id] && nodeClaims[id].indexOf(c) < 0) {
        nodeClaims[id].push(c);
        Array.prototype.push.apply(nodeDates[id], claimDates(c));
      }
    });
  });

  // Degree in the drawn graph (links whose both ends are on the page).
  var degree = {};
  data.nodes.forEach(function (n) { degree[n.id] = 0; });
  data.links.forEach(function (l) {
    if (nodesById[l.source] && nodesById[l.target] && l.source !== l.target) {
      degree[l.source] += 1;
      degree[l.target] += 1;
    }
  });
  var isolatedCount = data.nodes.filter(function (n) { return !degree[n.id]; }).length;
  var big = data.nodes.length > 150;
  var labelled = {};
  data.nodes.slice().sort(function (a, b) {
    return degree[b.id] - degree[a.id] || b.mentions - a.mentions || a.name.localeCompare(b.name);
  }).slice(0, big ? LABELLED_NODES : data.nodes.length).forEach(function (n) { labelled[n.id] = true; });
  var edgeLabels = data.links.length <= EDGE_LABELS_UP_TO;

  var maxMentions = Math.max.apply(null, [1].concat(data.nodes.map(function (n) { return n.mentions; })));
  function nodeSize(n) { return big ? 14 + 30 * Math.sqrt(n.mentions / maxMentions) : 28 + 36 * Math.sqrt(n.mentions / maxMentions); }

  // Deterministic starting positions (a circle) so the same data gives the same picture.
  var elements = [];
  data.nodes.forEach(function (n, i) {
    var angle = (2 * Math.PI * i) / Math.max(1, data.nodes.length);
    var radius = 60 + 18 * data.nodes.length;
    elements.push({
      group: "nodes",
      data: { id: n.id, name: n.name, label: labelled[n.id] ? n.name : "", type: n.type, color: typeColor(n.type), size: nodeSize(n), degree: degree[n.id] },
      classes: degree[n.id] ? "" : "isolated",
      position: { x: radius * Math.cos(angle), y: radius * Math.sin(angle) }
    });
  });
  data.links.forEach(function (l) {
    if (!nodesById[l.source] || !nodesById[l.target]) return;
    elements.push({
      group: "edges",
      data: {
        id: "link:" + l.id,
        source: l.source,
        target: l.target,
        label: edgeLabels ? l.label : "",
        caption: l.label,
        type: l.type,
        claim: l.claim || "",
        color: LINK_COLORS[l.type] || OTHER_COLOR,
        width: Math.min(1.5 + 1.5 * (l.weight || 1), 7)
      }
    });
  });

  var summary = document.getElementById("summary");
  var c = data.counts || {};
  var view = data.view || {};
  summary.textContent = [
    data.nodes.length + (view.total && view.total > data.nodes.length ? " of " + view.total : "") + " entities",
    data.links.length + " links",
    (c.claims || data.claims.length) + " facts",
    (c.articles || data.articles.length) + " articles"
  ].join(" · ");

  if (!data.nodes.length) document.getElementById("empty").hidden = false;

  // What this page leaves out, said where the graph is: the cap and the hidden unconnected entities.
  var capNote = document.getElementById("cap");
  function updateCapNote() {
    var parts = [];
    if (view.total && view.total > data.nodes.length) {
      parts.push("Showing the " + data.nodes.length + " most connected of " + view.total + " entities (cap " + view.limit +
        "): narrow with kg viz --around ENTITY or --query, or raise --limit.");
    }
    if (isolatedCount && !showIsolated.checked) {
      parts.push(isolatedCount + " entit" + (isolatedCount === 1 ? "y" : "ies") + " without links hidden (left bar: Unconnected).");
    }
    capNote.textContent = parts.join(" ");
    capNote.hidden = !parts.length;
  }

  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements,
    minZoom: 0.15,
    maxZoom: 3,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          width: "data(size)",
          height: "data(size)",
          label: "data(label)",
          color: "#1d2330",
          "font-size": big ? 13 : 16,
          "font-weight": 600,
          "text-valign": "bottom",
          "text-margin-y": 5,
          "text-outline-color": "#ffffff",
          "text-outline-width": 2.5,
          "border-width": 2,
          "border-color": "#ffffff",
          "overlay-opacity": 0
        }
      },
      {
        selector: "edge",
        style: {
          width: "data(width)",
          "line-color": "data(color)",
          "target-arrow-color": "data(color)",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.9,
          "curve-style": "bezier",
          label: "data(label)",
          "font-size": 13,
          color: "#4b5363",
          "text-rotation": "autorotate",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.85,
          "text-background-padding": 2,
          "text-background-shape": "roundrectangle",
          opacity: 0.9
        }
      },
      { selector: "edge[type = 'CO_MENTIONED']", style: { "line-style": "dashed", "target-arrow-shape": "none", label: "" } },
      { selector: "edge[type = 'ALIAS_OF']", style: { "line-style": "dotted" } },
      { selector: "node.named, node:selected, node.match", style: { label: "data(name)", "z-index": 20 } },
      { selector: "edge.named, edge:selected", style: { label: "data(caption)" } },
      { selector: ".faded", style: { opacity: 0.12, "text-opacity": 0.1 } },
      { selector: "node.match", style: { "border-color": "#ffcc33", "border-width": 5 } },
      { selector: "node:selected", style: { "border-color": "#1d2330", "border-width": 4 } },
      { selector: "edge:selected", style: { width: 6, opacity: 1 } }
    ],
    layout: { name: "preset" }
  });

  function runLayout() {
    var n = cy.nodes(":visible").length;
    var layout = cy.elements(":visible").layout({
      name: "cose",
      animate: false,
      randomize: false,
      fit: true,
      padding: 50,
      nodeDimensionsIncludeLabels: !big,
      idealEdgeLength: function () { return big ? 50 : 80; },
      nodeRepulsion: function () { return big ? 4500 : 7000; },
      edgeElasticity: function () { return 100; },
      nodeOverlap: 12,
      gravity: big ? 1.6 : 1.2,
      // the force layout costs n² a step: fewer steps on large pages keep them opening in seconds
      numIter: n > 1000 ? 250 : n > 400 ? 600 : n > 150 ? 1200 : 2500,
      componentSpacing: 40
    });
    layout.run();
  }

  // ---------------------------------------------------------------------------------------
  // Side panel

  var panel = document.getElementById("panel");

  function clearPanel() { while (panel.firstChild) panel.removeChild(panel.firstChild); }

  function sourceLine(report) {
    var a = articles[report.article] || { title: report.article };
    var url = safeUrl(a.url);
    var title = url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: a.title || a.id }) : el("span", { text: a.title || a.id });
    var meta = [a.source, a.published].filter(Boolean).join(", ");
    return el("div", { className: "source" }, ["— ", title, meta ? " (" + meta + ")" : ""]);
  }

  // The caption says what the fact says ("plans to release", never "released" for a plan) and
  // names the independent outlets behind it.
  function factCaption(claim) {
    var outlets = claim.source_count + " independent outlet" + (claim.source_count === 1 ? "" : "s");
    var named = (claim.outlets || []).slice(0, 4).join(", ");
    if (named) outlets += " (" + named + ((claim.outlets || []).length > 4 ? ", …" : "") + ")";
    var copies = claim.syndicated ? " · " + claim.syndicated + " syndicated cop" + (claim.syndicated === 1 ? "y" : "ies") : "";
    var when = claim.first_published ? " · first reported " + claim.first_published : "";
    return (claim.verb || claim.type.toLowerCase()) + " · " + outlets + copies + when;
  }

  function factCard(claim) {
    var card = el("div", { className: "fact" }, [
      el("div", { className: "summary-line", text: claim.summary }),
      el("div", { className: "meta", text: factCaption(claim) })
    ]);
    claim.reports.forEach(function (r) {
      var text = r.text || r.statement || "";
      card.appendChild(el("blockquote", { text: text }));
      card.appendChild(sourceLine(r));
    });
    return card;
  }

  var CONTRADICTION_KINDS = {
    release: "released or still planned?",
    role: "two roles at once",
    affiliation: "two organizations at once",
    speaker: "who said it?"
  };

  function contradictionCard(x) {
    var card = el("div", { className: "fact contradiction" }, [
      el("div", { className: "summary-line", text: x.subject + (x.object ? " · " + x.object : "") }),
      el("div", { className: "meta", text: CONTRADICTION_KINDS[x.kind] || x.kind })
    ]);
    [[x.side_a, claims[x.claim_a]], [x.side_b, claims[x.claim_b]]].forEach(function (side) {
      var claim = side[1];
      var box = el("div", { className: "side" }, [
        el("div", { className: "side-title", text: side[0] }),
        el("div", { className: "meta", text: factCaption(claim) })
      ]);
      claim.reports.slice(0, 2).forEach(function (r) {
        box.appendChild(el("blockquote", { text: r.text || r.statement || "" }));
        box.appendChild(sourceLine(r));
      });
      card.appendChild(box);
    });
    return card;
  }

  function showOverview() {
    clearPanel();
    panel.appendChild(el("h2", { text: "Overview" }));
    panel.appendChild(el("div", { className: "meta", text: summary.textContent }));
    panel.appendChild(el("h3", { text: "Most mentioned" }));
    var list = el("ul", { className: "entity-list" });
    data.nodes.slice().sort(function (a, b) { return b.mentions - a.mentions || a.name.localeCompare(b.name); })
      .slice(0, 15).forEach(function (n) {
        var item = el("li", {}, [
          el("span", { className: "swatch", style: "background:" + typeColor(n.type) }),
          el("span", { text: n.name }),
          el("span", { className: "count", text: String(n.mentions) })
        ]);
        item.addEventListener("click", function () { focusNode(n.id); });
        list.appendChild(item);
      });
    panel.appendChild(list);
    var strongest = data.claims.filter(function (c) { return c.citable !== false && c.source_count > 1; })
      .sort(function (a, b) { return b.source_count - a.source_count || b.article_count - a.article_count || a.id.localeCompare(b.id); })
      .slice(0, 5);
    if (strongest.length) {
      panel.appendChild(el("h3", { text: "Corroborated facts" }));
      strongest.forEach(function (claim) { panel.appendChild(factCard(claim)); });
    }
    var disputed = (data.contradictions || []).filter(function (x) { return claims[x.claim_a] && claims[x.claim_b]; }).slice(0, 5);
    if (disputed.length) {
      panel.appendChild(el("h3", { text: "Contradictions" }));
      disputed.forEach(function (x) { panel.appendChild(contradictionCard(x)); });
    }
    panel.appendChild(el("p", { className: "hint", text: "Click a node or a link to see its facts, the evidence sentences and the articles they come from." }));
  }

  function showNode(id) {
    var n = nodesById[id];
    if (!n) return;
    clearPanel();
    panel.appendChild(el("h2", { text: n.name }));
    panel.appendChild(el("div", {}, [
      el("span", { className: "chip", style: "background:" + typeColor(n.type), text: n.type }),
      el("span", { className: "meta", text: n.mentions + " mention" + (n.mentions === 1 ? "" : "s") + " in " + n.articles.length + " article" + (n.articles.length === 1 ? "" : "s") })
    ]));
    if (n.aliases && n.aliases.length) panel.appendChild(el("div", { className: "meta", text: "Also: " + n.aliases.join(", ") }));

    var related = nodeClaims[id] || [];
    var facts = related.filter(function (c) { return c.type !== "SAID"; });
    var said = related.filter(function (c) { return c.type === "SAID" && c.subject === id; });
    var about = related.filter(function (c) { return c.type === "SAID" && c.subject !== id; });
    if (facts.length) {
      panel.appendChild(el("h3", { text: "Facts" }));
      facts.forEach(function (claim) { panel.appendChild(factCard(claim)); });
    }
    if (said.length) {
      panel.appendChild(el("h3", { text: "Statements" }));
      said.forEach(function (claim) { panel.appendChild(factCard(claim)); });
    }
    if (about.length) {
      panel.appendChild(el("h3", { text: "What others said about it" }));
      about.forEach(function (claim) { panel.appendChild(factCard(claim)); });
    }
    if (n.articles.length) {
      panel.appendChild(el("h3", { text: "Mentioned in" }));
      var list = el("ol", { className: "articles-list" });
      n.articles.map(function (aid) { return articles[aid]; }).filter(Boolean)
        .sort(function (a, b) { return (a.published || "").localeCompare(b.published || ""); })
        .forEach(function (a) {
          var url = safeUrl(a.url);
          var meta = [a.source, a.published].filter(Boolean).join(", ");
          list.appendChild(el("li", {}, [
            url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: a.title || a.id }) : el("span", { text: a.title || a.id }),
            meta ? el("span", { className: "meta", text: " (" + meta + ")" }) : null
          ]));
        });
      panel.appendChild(list);
    }
  }

  function showEdge(edge) {
    var claim = claims[edge.data("claim")];
    clearPanel();
    var source = nodesById[edge.data("source")];
    var target = nodesById[edge.data("target")];
    panel.appendChild(el("h2", { text: source.name + " → " + target.name }));
    panel.appendChild(el("div", { className: "meta", text: LINK_NAMES[edge.data("type")] || edge.data("type") }));
    if (claim) {
      panel.appendChild(el("h3", { text: "Evidence" }));
      panel.appendChild(factCard(claim));
    } else {
      panel.appendChild(el("p", { className: "hint", text: "Named together in the same articles." }));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Search and filters

  var hiddenTypes = {};
  var hiddenLinks = {};
  var dateFrom = document.getElementById("date-from");
  var dateTo = document.getElementById("date-to");
  var allDates = data.articles.map(function (a) { return a.published; }).filter(Boolean).sort();
  function resetDates() {
    dateFrom.value = allDates.length ? allDates[0] : "";
    dateTo.value = allDates.length ? allDates[allDates.length - 1] : "";
  }
  resetDates();

  function inWindow(dates) {
    if (!dates.length) return true;
    var from = dateFrom.value || "0000-01-01";
    var to = dateTo.value || "9999-12-31";
    return dates.some(function (d) { return d >= from && d <= to; });
  }

  function applyFilters() {
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        var show = !hiddenTypes[node.data("type")] && inWindow(nodeDates[node.id()] || []) &&
          (showIsolated.checked || node.data("degree") > 0);
        node.style("display", show ? "element" : "none");
      });
      cy.edges().forEach(function (edge) {
        var claim = claims[edge.data("claim")];
        var show = !hiddenLinks[edge.data("type")] && (!claim || inWindow(claimDates(claim)));
        edge.style("display", show ? "element" : "none");
      });
    });
    updateCapNote();
    markReady();
  }

  function filterRow(container, key, label, color, count, hidden, isLine) {
    var box = el("input", { type: "checkbox", "data-key": key });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) delete hidden[key]; else hidden[key] = true;
      applyFilters();
    });
    container.appendChild(el("label", {}, [
      box,
      el("span", { className: "swatch" + (isLine ? " line" : ""), style: "background:" + color }),
      el("span", { text: label }),
      el("span", { className: "count", text: String(count) })
    ]));
  }

  var typeCounts = {};
  data.nodes.forEach(function (n) { typeCounts[n.type] = (typeCounts[n.type] || 0) + 1; });
  var typeBox = document.getElementById("type-filters");
  Object.keys(typeCounts).sort().forEach(function (type) {
    filterRow(typeBox, type, type, typeColor(type), typeCounts[type], hiddenTypes, false);
  });
  var linkCounts = {};
  data.links.forEach(function (l) { linkCounts[l.type] = (linkCounts[l.type] || 0) + 1; });
  var linkBox = document.getElementById("link-filters");
  Object.keys(linkCounts).sort().forEach(function (type) {
    filterRow(linkBox, type, LINK_NAMES[type] || type, LINK_COLORS[type] || OTHER_COLOR, linkCounts[type], hiddenLinks, true);
  });
  if (!data.links.length) linkBox.appendChild(el("div", { className: "hint", text: "No links in this view." }));
  var showIsolated = document.getElementById("show-isolated");
  document.getElementById("isolated-count").textContent = String(isolatedCount);
  showIsolated.addEventListener("change", function () { applyFilters(); runLayout(); scaleLabels(); chooseLabels(); });
  dateFrom.addEventListener("change", applyFilters);
  dateTo.addEventListener("change", applyFilters);

  var search = document.getElementById("search");
  var searchHint = document.getElementById("search-hint");
  function matches(text) {
    var q = text.trim().toLowerCase();
    if (!q) return [];
    return data.nodes.filter(function (n) {
      return n.name.toLowerCase().indexOf(q) >= 0 || (n.aliases || []).some(function (a) { return a.toLowerCase().indexOf(q) >= 0; });
    });
  }
  function highlight(found) {
    cy.batch(function () {
      cy.elements().removeClass("faded match");
      if (!found) return;
      var ids = {};
      found.forEach(function (n) { ids[n.id] = true; });
      cy.nodes().forEach(function (node) { node.addClass(ids[node.id()] ? "match" : "faded"); });
      cy.edges().forEach(function (edge) {
        if (!ids[edge.data("source")] && !ids[edge.data("target")]) edge.addClass("faded");
      });
    });
  }
  search.addEventListener("input", function () {
    var found = matches(search.value);
    highlight(search.value.trim() ? found : null);
    searchHint.textContent = search.value.trim() ? found.length + " match" + (found.length === 1 ? "" : "es") : "";
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = matches(search.value);
      if (found.length) focusNode(found[0].id);
    }
  });

  function focusNode(id) {
    var node = cy.getElementById(id);
    if (!node || node.empty()) return;
    cy.elements().unselect();
    node.select();
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.1) }, { duration: 300 });
    showNode(id);
  }

  cy.on("tap", "node", function (event) { showNode(event.target.id()); });
  cy.on("tap", "edge", function (event) { showEdge(event.target); });
  cy.on("tap", function (event) { if (event.target === cy) showOverview(); });
  cy.on("mouseover", "node", function (event) {
    var hood = event.target.closedNeighborhood();
    cy.elements().not(hood).addClass("faded");
    hood.addClass("named");
  });
  cy.on("mouseout", "node", function () {
    cy.elements().removeClass("faded");
    if (!zoomedIn) cy.elements().removeClass("named");
    if (search.value.trim()) highlight(matches(search.value));
  });

  document.getElementById("fit").addEventListener("click", function () { cy.fit(cy.elements(":visible"), 50); });
  document.getElementById("reset").addEventListener("click", function () {
    search.value = "";
    searchHint.textContent = "";
    highlight(null);
    Object.keys(hiddenTypes).forEach(function (k) { delete hiddenTypes[k]; });
    Object.keys(hiddenLinks).forEach(function (k) { delete hiddenLinks[k]; });
    Array.prototype.forEach.call(document.querySelectorAll(".filters input"), function (box) { box.checked = true; });
    showIsolated.checked = false;
    resetDates();
    applyFilters();
    cy.fit(cy.elements(":visible"), 50);
    showOverview();
  });

  // ---------------------------------------------------------------------------------------
  // Ready marker: what was drawn, for tests and for anyone scripting the page.

  function markReady() {
    var visibleNodes = cy.nodes(":visible").length;
    var visibleEdges = cy.edges(":visible").length;
    root.setAttribute("data-kg-nodes", String(visibleNodes));
    root.setAttribute("data-kg-edges", String(visibleEdges));
    root.setAttribute("data-kg-canvases", String(document.querySelectorAll("#cy canvas").length));
    root.setAttribute("data-kg-viewport", Math.round(cy.width()) + "x" + Math.round(cy.height()));
    root.setAttribute("data-kg-ready", "true");
    document.title = document.getElementById("page-title").textContent + " — " + visibleNodes + " entities, " + visibleEdges + " links";
  }

  // #entity=NAME (a name, alias or id) opens the page focused on that entity: shareable links.
  function focusFromHash() {
    var match = /(?:^#|&)entity=([^&]*)/.exec(window.location.hash);
    if (!match) return false;
    var wanted = decodeURIComponent(match[1].replace(/\+/g, " ")).toLowerCase();
    var found = data.nodes.filter(function (n) {
      return n.id.toLowerCase() === wanted || n.name.toLowerCase() === wanted ||
        (n.aliases || []).some(function (a) { return a.toLowerCase() === wanted; });
    });
    if (!found.length) return false;
    var node = cy.getElementById(found[0].id);
    node.select();
    cy.center(node);
    showNode(found[0].id);
    return true;
  }

  // Keep the drawing fitted when the graph area changes size (window resized, panel toggled,
  // a headless browser resizing the viewport for a screenshot) until the user pans or zooms.
  var userMoved = false;
  cy.on("pan zoom", function (event) { if (event.originalEvent) userMoved = true; });
  // Zoomed in far enough, every name fits: show them all (toggled only when crossing the threshold).
  var zoomedIn = false;
  // On a large page the fitted zoom is small: keep names readable (about 12 px on screen).
  function scaleLabels() {
    if (!big) return;
    var size = Math.max(13, Math.min(80, 12 / cy.zoom()));
    cy.style().selector("node").style({ "font-size": size, "text-outline-width": size / 6, "text-margin-y": size / 3 }).update();
  }
  cy.on("zoom", function () { scaleLabels(); });
  cy.on("zoom", function () {
    var now = cy.zoom() >= ZOOM_FOR_ALL_LABELS;
    if (now === zoomedIn) return;
    zoomedIn = now;
    cy.batch(function () { if (now) cy.nodes().addClass("named"); else cy.nodes().removeClass("named"); });
  });
  cy.on("tapstart", function () { userMoved = true; });
  if (typeof ResizeObserver === "function") {
    new ResizeObserver(function () {
      cy.resize();
      if (!userMoved) {
        var selected = cy.nodes(":selected");
        cy.fit(cy.elements(":visible"), 50);
        if (selected.length) cy.center(selected);
      }
      // Resizing cleared the canvases; Cytoscape would redraw on the next animation frame, but a
      // screenshot or print of this frame would then show an empty graph. Draw now.
      var renderer = cy.renderer();
      if (renderer && typeof renderer.render === "function") renderer.render();
      markReady();
    }).observe(document.getElementById("cy"));
  }

  // Which nodes carry a name on a large page: the most connected whose name does not run into a
  // name already placed (at the fitted zoom), up to LABELLED_NODES.
  function chooseLabels() {
    if (!big) return;
    var font = Math.max(13, Math.min(80, 12 / cy.zoom()));
    var placed = [];
    var ranked = cy.nodes(":visible").sort(function (a, b) {
      return b.data("degree") - a.data("degree") || (nodesById[b.id()].mentions - nodesById[a.id()].mentions);
    });
    cy.batch(function () {
      ranked.forEach(function (node) {
        var name = node.data("name");
        var box = null;
        if (placed.length < LABELLED_NODES) {
          var p = node.position();
          var w = name.length * font * 0.62 / 2;
          var top = p.y + node.data("size") / 2;
          box = { x1: p.x - w, x2: p.x + w, y1: top, y2: top + font * 1.5 };
          var clash = placed.some(function (q) { return box.x1 < q.x2 && q.x1 < box.x2 && box.y1 < q.y2 && q.y1 < box.y2; });
          if (clash) box = null;
        }
        if (box) placed.push(box);
        node.data("label", box ? name : "");
      });
    });
  }

  applyFilters();
  runLayout();
  cy.fit(cy.elements(":visible"), 50);
  scaleLabels();
  chooseLabels();
  if (!focusFromHash()) showOverview();
  window.addEventListener("hashchange", focusFromHash);
  markReady();
  window.kgGraph = cy;
})();
