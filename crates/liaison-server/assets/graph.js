// Liaison link analysis: draws the neighbourhood of an entity with cytoscape from the graph API, expands an
// entity on click, highlights key players, communities and the shortest path to a second entity, and hides
// links outside a period. Every question carries the purpose (and case) from the form; the API checks and
// audits it. The side panel lists what the canvas shows, so the page works from the keyboard. Plain ES2017.
(function () {
  "use strict";

  var TYPES = {
    person: { label: "Person", colour: "#0b4f8a", shape: "ellipse" },
    document: { label: "Document", colour: "#1d6b2f", shape: "round-rectangle" },
    vehicle: { label: "Vehicle", colour: "#8a5a00", shape: "rectangle" },
    "case": { label: "Case", colour: "#6a1b9a", shape: "hexagon" },
    alert: { label: "Alert", colour: "#b3261e", shape: "triangle" },
    phone: { label: "Phone", colour: "#00838f", shape: "diamond" },
    email: { label: "E-mail", colour: "#5d4037", shape: "diamond" },
    address: { label: "Address", colour: "#455a64", shape: "diamond" },
    identifier: { label: "Identifier", colour: "#827717", shape: "diamond" },
    traveller: { label: "Traveller", colour: "#ad1457", shape: "vee" },
    other: { label: "Other", colour: "#757575", shape: "ellipse" }
  };
  var RECORD_TYPES = ["person", "document", "vehicle", "case", "alert"];
  var COMMUNITY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#393b79", "#637939", "#843c39"];
  var NO_COMMUNITY = "#c9cfd6";
  var DAY_MS = 86400000;

  var app, cy;
  var state = {
    start: null, // {type, id}
    purpose: "",
    caseRef: "",
    communities: false,
    communityOf: {}, // key -> index
    communitySizes: [],
    keyPlayers: {}, // key -> {rank, gain}
    days: [], // [min, max] as day numbers of dated links
    requests: 0
  };

  function $(id) { return document.getElementById(id); }
  function key(type, id) { return type + "/" + id; }
  function typeInfo(type) { return TYPES[type] || TYPES.other; }
  function dayNumber(iso) { var t = Date.parse(iso + "T00:00:00Z"); return isNaN(t) ? null : Math.floor(t / DAY_MS); }
  function isoDay(n) { return new Date(n * DAY_MS).toISOString().slice(0, 10); }

  function text(tag, content, className) {
    var el = document.createElement(tag);
    if (content !== undefined && content !== null) { el.textContent = content; }
    if (className) { el.className = className; }
    return el;
  }

  function status(message, kind) {
    var box = $("g-status");
    box.className = "graph-status" + (kind ? " alert " + kind : "");
    box.textContent = message;
  }

  // The purpose and case every question states.
  function reasonParams(extra) {
    var params = new URLSearchParams();
    params.set("purpose", state.purpose);
    if (state.caseRef) { params.set("case_ref", state.caseRef); }
    Object.keys(extra || {}).forEach(function (name) {
      var value = extra[name];
      if (value !== undefined && value !== null && value !== "") { params.set(name, value); }
    });
    return params;
  }

  function problemText(body, response) {
    if (body && body.errors && body.errors.length) {
      return body.errors.map(function (e) { return e.pointer + ": " + e.detail; }).join("; ");
    }
    if (body && (body.detail || body.title)) { return body.detail || body.title; }
    return "the node answered " + response.status;
  }

  function api(path, params) {
    state.requests += 1;
    app.setAttribute("aria-busy", "true");
    var done = function () {
      state.requests -= 1;
      if (state.requests === 0) { app.removeAttribute("aria-busy"); }
    };
    return fetch(path + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.redirected || response.status === 303 || response.url.indexOf("/login") >= 0) {
        throw new Error("your session has ended; reload the page to log in again");
      }
      return response.json().catch(function () { return null; }).then(function (body) {
        if (!response.ok) { throw new Error(problemText(body, response)); }
        return body;
      });
    }).then(function (body) { done(); return body; }, function (error) { done(); throw error; });
  }

  function neighbourhoodPath(type, id) {
    // Traveller ids hold a slash (`run/index`): each part is encoded on its own.
    return "/api/v1/graph/neighbourhood/" + encodeURIComponent(type) + "/" +
      id.split("/").map(encodeURIComponent).join("/");
  }

  // The link types ticked, or nothing when all are (the API's default).
  function edgeTypes() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("#graph-controls input[name=edge]"));
    var ticked = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    return ticked.length === boxes.length ? "" : ticked.join(",");
  }

  // Scope of the whole-graph questions: a case when the start is one.
  function caseScope() {
    return state.start && state.start.type === "case" ? state.start.id : "";
  }

  function nodeColour(data) {
    if (state.communities) {
      var index = state.communityOf[data.key];
      return index === undefined ? NO_COMMUNITY : COMMUNITY_COLOURS[index % COMMUNITY_COLOURS.length];
    }
    return typeInfo(data.type).colour;
  }

  function merge(body) {
    var added = 0;
    cy.startBatch();
    (body.nodes || []).forEach(function (n) {
      var k = key(n.type, n.id);
      var existing = cy.getElementById(k);
      if (existing.nonempty()) {
        if (n.label && existing.data("label") === n.id) { existing.data("label", n.label); }
        return;
      }
      var data = { id: k, key: k, type: n.type, eid: n.id, label: n.label || n.id, owner: n.owner || "" };
      data.colour = nodeColour(data);
      data.shape = typeInfo(n.type).shape;
      cy.add({ group: "nodes", data: data });
      added += 1;
    });
    (body.edges || []).forEach(function (e) {
      var from = key(e.from.type, e.from.id), to = key(e.to.type, e.to.id);
      var k = [from, e.type, to, e.label || "", e.date || ""].join("|");
      if (cy.getElementById(k).nonempty() || cy.getElementById(from).empty() || cy.getElementById(to).empty()) {
        return;
      }
      cy.add({ group: "edges", data: {
        id: k, source: from, target: to, type: e.type, label: e.label || "", date: e.date || "",
        day: e.date ? dayNumber(e.date) : null, owner: e.owner || ""
      } });
      added += 1;
    });
    cy.endBatch();
    return added;
  }

  function layout() {
    cy.layout({ name: "cose", animate: false, nodeDimensionsIncludeLabels: true, randomize: false, fit: true,
      padding: 30, numIter: 1500 }).run();
  }

  function recolour() {
    cy.nodes().forEach(function (n) { n.data("colour", nodeColour(n.data())); });
    legend();
  }

  function legend() {
    var list = $("g-legend");
    list.textContent = "";
    if (state.communities) {
      // Only the communities among the entities drawn, numbered as the node numbers them (largest first).
      var shown = {};
      cy.nodes().forEach(function (n) {
        var c = state.communityOf[n.id()];
        if (c !== undefined) { shown[c] = true; }
      });
      Object.keys(shown).map(Number).sort(function (a, b) { return a - b; }).forEach(function (i) {
        var item = text("li");
        var swatch = text("span", "", "swatch");
        swatch.style.background = COMMUNITY_COLOURS[i % COMMUNITY_COLOURS.length];
        item.appendChild(swatch);
        item.appendChild(document.createTextNode("Community " + (i + 1) + " (" + state.communitySizes[i] + " entities)"));
        list.appendChild(item);
      });
      var rest = text("li");
      var grey = text("span", "", "swatch");
      grey.style.background = NO_COMMUNITY;
      rest.appendChild(grey);
      rest.appendChild(document.createTextNode("In no community of two or more"));
      list.appendChild(rest);
      return;
    }
    var present = {};
    cy.nodes().forEach(function (n) { present[n.data("type")] = true; });
    Object.keys(TYPES).forEach(function (type) {
      if (!present[type]) { return; }
      var item = text("li");
      var swatch = text("span", "", "swatch shape-" + TYPES[type].shape);
      swatch.style.background = TYPES[type].colour;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(TYPES[type].label));
      list.appendChild(item);
    });
    var marks = [["key", "Key player (thick red border)"], ["path", "On the shortest path"], ["start", "Start"]];
    marks.forEach(function (m) {
      var item = text("li");
      item.appendChild(text("span", "", "swatch mark-" + m[0]));
      item.appendChild(document.createTextNode(m[1]));
      list.appendChild(item);
    });
  }

  // The timeline: the span of dated links, with two handles.
  function updateTimeline() {
    var days = cy.edges().map(function (e) { return e.data("day"); }).filter(function (d) { return d !== null; });
    var box = $("g-timeline");
    var min = days.reduce(function (a, b) { return Math.min(a, b); }, Infinity);
    var max = days.reduce(function (a, b) { return Math.max(a, b); }, -Infinity);
    // Links all of one day (or none dated) leave no period to choose.
    if (!days.length || min === max) { box.hidden = true; state.days = []; applyTimeline(); return; }
    var from = $("g-t-from"), to = $("g-t-to");
    var wasFull = !state.days.length || (Number(from.value) <= state.days[0] && Number(to.value) >= state.days[1]);
    state.days = [min, max];
    [from, to].forEach(function (input) { input.min = min; input.max = max; });
    if (wasFull) { from.value = min; to.value = max; }
    box.hidden = false;
    applyTimeline();
  }

  function applyTimeline() {
    var from = $("g-t-from"), to = $("g-t-to");
    var lo = Number(from.value), hi = Number(to.value);
    if (lo > hi) { var swap = lo; lo = hi; hi = swap; }
    if (state.days.length) {
      $("g-t-from-out").textContent = isoDay(lo);
      $("g-t-to-out").textContent = isoDay(hi);
      from.setAttribute("aria-valuetext", isoDay(lo));
      to.setAttribute("aria-valuetext", isoDay(hi));
    }
    cy.batch(function () {
      cy.edges().forEach(function (e) {
        var day = e.data("day");
        var outside = state.days.length && day !== null && (day < lo || day > hi);
        e.toggleClass("out-of-period", !!outside);
      });
      // An entity whose every link is hidden fades, so what remains reads as the network of the period.
      cy.nodes().forEach(function (n) {
        var links = n.connectedEdges();
        var faded = links.nonempty() && links.every(function (e) { return e.hasClass("out-of-period"); });
        n.toggleClass("faded", faded && !n.hasClass("start"));
      });
    });
    entityList();
    var selected = cy.nodes(":selected");
    if (selected.nonempty()) { details(selected.first()); }
  }

  function recordHref(type, id) {
    if (RECORD_TYPES.indexOf(type) < 0) { return null; }
    return "/records/" + encodeURIComponent(type) + "/" + encodeURIComponent(id) + "?" + reasonParams().toString();
  }

  function entityList() {
    var list = $("g-entities");
    list.textContent = "";
    var nodes = cy.nodes().filter(function (n) { return !n.hasClass("faded"); }).sort(function (a, b) {
      return a.data("label").localeCompare(b.data("label"));
    });
    $("g-count").textContent = String(nodes.length);
    nodes.forEach(function (n) {
      var item = text("li");
      var button = text("button", n.data("label"), "link");
      button.type = "button";
      button.addEventListener("click", function () { select(n, true); });
      item.appendChild(button);
      var marks = [typeInfo(n.data("type")).label];
      var kp = state.keyPlayers[n.id()];
      if (kp) { marks.push("key player " + kp.rank); }
      if (n.hasClass("on-path")) { marks.push("on path"); }
      if (state.communities && state.communityOf[n.id()] !== undefined) {
        marks.push("community " + (state.communityOf[n.id()] + 1));
      }
      item.appendChild(text("span", " (" + marks.join(", ") + ")", "muted"));
      list.appendChild(item);
    });
  }

  function details(n) {
    var box = $("g-details");
    box.textContent = "";
    var d = n.data();
    box.appendChild(text("h3", d.label));
    var dl = text("dl", null, "fields");
    var rows = [["Type", typeInfo(d.type).label], ["Id", d.eid], ["Owner", d.owner || "—"],
      ["Links shown", String(n.connectedEdges().not(".out-of-period").length)]];
    var kp = state.keyPlayers[d.key];
    if (kp) { rows.push(["Key player", "rank " + kp.rank + ", fragmentation gain " + kp.gain.toPrecision(3)]); }
    if (state.communities && state.communityOf[d.key] !== undefined) {
      rows.push(["Community", String(state.communityOf[d.key] + 1)]);
    }
    rows.forEach(function (r) { dl.appendChild(text("dt", r[0])); dl.appendChild(text("dd", r[1])); });
    box.appendChild(dl);
    var links = text("ul", null, "plain");
    var shownLinks = n.connectedEdges().not(".out-of-period");
    shownLinks.slice(0, 12).forEach(function (e) {
      var other = e.source().id() === n.id() ? e.target() : e.source();
      var line = e.data("type").replace(/_/g, " ") + (e.data("label") ? " (" + e.data("label") + ")" : "") +
        (e.data("date") ? ", " + e.data("date") : "") + ": " + other.data("label");
      links.appendChild(text("li", line, "small"));
    });
    if (shownLinks.length > 12) { links.appendChild(text("li", "and " + (shownLinks.length - 12) + " more links", "small muted")); }
    box.appendChild(links);
    var actions = text("p");
    var href = recordHref(d.type, d.eid);
    if (href) {
      var a = text("a", "Open the record");
      a.href = href;
      actions.appendChild(a);
      actions.appendChild(document.createTextNode(" · "));
    }
    var expand = text("button", "Expand its links", "link");
    expand.type = "button";
    expand.addEventListener("click", function () { expandNode(n); });
    actions.appendChild(expand);
    box.appendChild(actions);
  }

  function select(n, focusCanvas) {
    cy.elements().unselect();
    n.select();
    details(n);
    if (focusCanvas) { cy.animate({ center: { eles: n }, duration: 200 }); }
  }

  function expandNode(n) {
    var params = reasonParams({ hops: "1", edge_types: edgeTypes(), owner: $("g-owner").value.trim() });
    status("Expanding " + n.data("label") + "…");
    api(neighbourhoodPath(n.data("type"), n.data("eid")), params).then(function (body) {
      var added = merge(body);
      if (added) { layout(); }
      afterChange();
      select(n, false);
      status(added ? "Added " + added + " entities and links around " + n.data("label") + "." :
        "Nothing more around " + n.data("label") + " with these filters.", added ? null : "info");
    }).catch(function (e) { status("Could not expand: " + e.message, "error"); });
  }

  function afterChange() {
    Object.keys(state.keyPlayers).forEach(function (k) { cy.getElementById(k).addClass("key-player"); });
    recolour();
    updateTimeline();
  }

  function readForm() {
    state.purpose = $("g-purpose").value;
    state.caseRef = $("g-case").value.trim();
    updateExports();
  }

  function updateExports() {
    ["graphml", "gexf"].forEach(function (format) {
      var link = $("g-export-" + format);
      if (!state.purpose) {
        link.removeAttribute("href");
        link.setAttribute("aria-disabled", "true");
        link.title = "choose a purpose first";
        return;
      }
      link.href = "/api/v1/graph/export?" + reasonParams({ format: format, "case": caseScope() }).toString();
      link.removeAttribute("aria-disabled");
      link.removeAttribute("title");
    });
  }

  function load(event) {
    if (event) { event.preventDefault(); }
    readForm();
    var type = $("g-type").value, id = $("g-id").value.trim();
    if (!state.purpose) { status("Choose the purpose of this analysis.", "error"); $("g-purpose").focus(); return; }
    if (!id) { status("Give the id or value of the start entity.", "error"); $("g-id").focus(); return; }
    state.start = { type: type, id: id };
    state.keyPlayers = {};
    state.communities = false;
    state.communityOf = {};
    state.days = [];
    $("g-communities").setAttribute("aria-pressed", "false");
    $("g-kp-section").hidden = true;
    $("g-path-section").hidden = true;
    updateExports();
    // The address names the view, so it can be bookmarked or sent to a colleague.
    var address = new URLSearchParams(new FormData($("graph-controls")));
    history.replaceState(null, "", "/graph?" + address.toString());
    var params = reasonParams({ hops: $("g-hops").value, edge_types: edgeTypes(), owner: $("g-owner").value.trim() });
    status("Loading…");
    api(neighbourhoodPath(type, id), params).then(function (body) {
      cy.elements().remove();
      merge(body);
      cy.getElementById(key(type, id)).addClass("start");
      layout();
      afterChange();
      var start = cy.nodes(".start");
      if (start.nonempty()) { select(start, false); }
      status(body.nodes.length + " entities and " + body.edges.length + " links." +
        (body.truncated ? " The walk stopped at the size limit: not every entity within reach is shown." : ""),
        body.truncated ? "warn" : null);
    }).catch(function (e) {
      cy.elements().remove();
      afterChange();
      status("Could not load the network: " + e.message, "error");
    });
  }

  function keyPlayers(event) {
    event.preventDefault();
    readForm();
    if (!state.purpose) { status("Choose the purpose of this analysis.", "error"); $("g-purpose").focus(); return; }
    var limit = $("g-kp-n").value || "5";
    status("Finding key players…");
    api("/api/v1/graph/key-players", reasonParams({ limit: limit, "case": caseScope() })).then(function (body) {
      cy.nodes().removeClass("key-player");
      state.keyPlayers = {};
      var list = $("g-kp-list");
      list.textContent = "";
      body.key_players.forEach(function (p, i) {
        var k = key(p.type, p.id);
        state.keyPlayers[k] = { rank: i + 1, gain: p.fragmentation_gain };
        var item = text("li");
        var button = text("button", p.label || p.id, "link");
        button.type = "button";
        button.addEventListener("click", function () { focusEntity(p.type, p.id); });
        item.appendChild(button);
        item.appendChild(text("span", " gain " + p.fragmentation_gain.toPrecision(3) + ", " + p.degree + " links, " +
          p.core + "-core, PageRank " + p.pagerank.toPrecision(2) +
          (cy.getElementById(k).empty() ? " (not shown)" : ""), "muted"));
        list.appendChild(item);
      });
      $("g-kp-summary").textContent = "Fragmentation of the " + body.scope + " (" + body.nodes +
        " entities) goes from " + body.fragmentation_before.toFixed(4) + " to " +
        body.fragmentation_after.toFixed(4) + " without them.";
      $("g-kp-section").hidden = false;
      afterChange();
      status(body.key_players.length + " key players found; those shown have a thick red border.");
    }).catch(function (e) { status("Could not find key players: " + e.message, "error"); });
  }

  // Shows an entity: selects it when drawn, otherwise adds its neighbourhood.
  function focusEntity(type, id) {
    var n = cy.getElementById(key(type, id));
    if (n.nonempty()) { select(n, true); return; }
    var params = reasonParams({ hops: "1", edge_types: edgeTypes(), owner: $("g-owner").value.trim() });
    api(neighbourhoodPath(type, id), params).then(function (body) {
      merge(body);
      layout();
      afterChange();
      var added = cy.getElementById(key(type, id));
      if (added.nonempty()) { select(added, true); }
    }).catch(function (e) { status("Could not show " + id + ": " + e.message, "error"); });
  }

  function communities() {
    readForm();
    var button = $("g-communities");
    if (state.communities) {
      state.communities = false;
      button.setAttribute("aria-pressed", "false");
      recolour();
      entityList();
      status("Colours show entity types again.");
      return;
    }
    if (!state.purpose) { status("Choose the purpose of this analysis.", "error"); $("g-purpose").focus(); return; }
    status("Finding communities…");
    api("/api/v1/graph/communities", reasonParams({ limit: "1000", "case": caseScope() })).then(function (body) {
      state.communityOf = {};
      state.communitySizes = [];
      body.communities.forEach(function (c, i) {
        state.communitySizes.push(c.size);
        c.members.forEach(function (m) { state.communityOf[key(m.type, m.id)] = i; });
      });
      state.communities = true;
      button.setAttribute("aria-pressed", "true");
      recolour();
      entityList();
      var shown = {};
      cy.nodes().forEach(function (n) {
        var c = state.communityOf[n.id()];
        if (c !== undefined) { shown[c] = true; }
      });
      status(body.count + " communities in the graph (modularity " + body.modularity.toFixed(3) + "); " +
        Object.keys(shown).length + " of them among the entities shown.");
    }).catch(function (e) { status("Could not find communities: " + e.message, "error"); });
  }

  function path(event) {
    event.preventDefault();
    readForm();
    if (!state.purpose) { status("Choose the purpose of this analysis.", "error"); $("g-purpose").focus(); return; }
    var selected = cy.nodes(":selected");
    var from = selected.nonempty() ? { type: selected.data("type"), id: selected.data("eid") } : state.start;
    if (!from) { status("Show a network first, or select the entity the path starts from.", "error"); return; }
    var to = { type: $("g-path-type").value, id: $("g-path-id").value.trim() };
    if (!to.id) { status("Give the id of the entity the path leads to.", "error"); $("g-path-id").focus(); return; }
    status("Looking for the shortest path…");
    var params = reasonParams({ from: key(from.type, from.id), to: key(to.type, to.id), max_length: "6",
      limit: "1", edge_types: edgeTypes() });
    api("/api/v1/graph/paths", params).then(function (body) {
      cy.elements().removeClass("on-path");
      var list = $("g-path-list");
      list.textContent = "";
      $("g-path-section").hidden = false;
      if (!body.paths.length) {
        list.appendChild(text("li", "No path of 6 links or fewer."));
        entityList();
        status("No path of 6 links or fewer between " + key(from.type, from.id) + " and " + key(to.type, to.id) + ".", "info");
        return;
      }
      var steps = body.paths[0];
      var added = false;
      steps.forEach(function (ref) {
        var k = key(ref.type, ref.id);
        if (cy.getElementById(k).empty()) {
          cy.add({ group: "nodes", data: { id: k, key: k, type: ref.type, eid: ref.id, label: ref.id, owner: "",
            colour: nodeColour({ key: k, type: ref.type }), shape: typeInfo(ref.type).shape } });
          added = true;
        }
        cy.getElementById(k).addClass("on-path");
      });
      for (var i = 1; i < steps.length; i += 1) {
        var a = key(steps[i - 1].type, steps[i - 1].id), b = key(steps[i].type, steps[i].id);
        var between = cy.getElementById(a).edgesWith(cy.getElementById(b));
        if (between.empty()) {
          // The path's link is not drawn yet: a plain link stands for it until the area is expanded.
          between = cy.add({ group: "edges", data: { id: "path|" + a + "|" + b, source: a, target: b, type: "path",
            label: "", date: "", day: null, owner: "" } });
          added = true;
        }
        between.first().addClass("on-path");
      }
      steps.forEach(function (ref) {
        var item = text("li");
        var button = text("button", cy.getElementById(key(ref.type, ref.id)).data("label"), "link");
        button.type = "button";
        button.addEventListener("click", function () { focusEntity(ref.type, ref.id); });
        item.appendChild(button);
        item.appendChild(text("span", " (" + typeInfo(ref.type).label + ")", "muted"));
        list.appendChild(item);
      });
      if (added) { layout(); }
      afterChange();
      status("Shortest path: " + (steps.length - 1) + " links" + (body.complete ? "." : " (the search stopped early)."));
    }).catch(function (e) { status("Could not find a path: " + e.message, "error"); });
  }

  function style() {
    return [
      { selector: "node", style: {
        "background-color": "data(colour)", "shape": "data(shape)", "label": "data(label)", "width": 26,
        "height": 26, "font-size": 11, "color": "#1a1d21", "text-valign": "bottom", "text-margin-y": 4,
        "text-wrap": "ellipsis", "text-max-width": 120, "border-width": 1.5, "border-color": "#ffffff",
        "text-background-color": "#ffffff", "text-background-opacity": 0.75, "text-background-padding": 1 } },
      { selector: "node.start", style: { "border-width": 4, "border-color": "#10253d", "width": 30, "height": 30 } },
      { selector: "node.key-player", style: { "border-width": 7, "border-color": "#d00000" } },
      { selector: "node.on-path", style: { "overlay-color": "#f0a500", "overlay-opacity": 0.35, "overlay-padding": 6 } },
      { selector: "node:selected", style: { "border-width": 5, "border-color": "#f0a500" } },
      { selector: "node.faded", style: { "opacity": 0.2 } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#9aa5b1", "curve-style": "bezier",
        "target-arrow-shape": "none" } },
      { selector: "edge[type = 'same_identity']", style: { "line-style": "dashed", "line-color": "#6a1b9a" } },
      { selector: "edge[type = 'travelled_with']", style: { "line-color": "#ad1457" } },
      { selector: "edge[type = 'path']", style: { "line-style": "dotted" } },
      { selector: "edge:selected", style: { "label": "data(label)", "font-size": 9, "width": 3 } },
      { selector: "edge.on-path", style: { "line-color": "#f0a500", "width": 5 } },
      { selector: "edge.out-of-period", style: { "display": "none" } }
    ];
  }

  function init() {
    app = $("graph-app");
    if (!app) { return; }
    if (typeof window.cytoscape !== "function") {
      status("The network view could not start (its library did not load).", "error");
      return;
    }
    cy = window.cytoscape({
      container: $("cy"),
      style: style(),
      minZoom: 0.1,
      maxZoom: 4,
      boxSelectionEnabled: false
    });
    cy.on("tap", "node", function (event) {
      select(event.target, false);
      expandNode(event.target);
    });
    $("graph-controls").addEventListener("submit", load);
    $("g-keyplayers").addEventListener("submit", keyPlayers);
    $("g-path").addEventListener("submit", path);
    $("g-communities").addEventListener("click", communities);
    $("g-purpose").addEventListener("change", readForm);
    $("g-case").addEventListener("input", readForm);
    ["g-t-from", "g-t-to"].forEach(function (id) { $(id).addEventListener("input", applyTimeline); });
    ["g-export-graphml", "g-export-gexf"].forEach(function (id) {
      $(id).addEventListener("click", function (event) {
        if (!state.purpose) { event.preventDefault(); status("Choose the purpose of the export first.", "error"); }
      });
    });
    readForm();
    legend();
    if (app.dataset.autoload) { load(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
