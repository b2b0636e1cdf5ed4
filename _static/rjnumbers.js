/* Filter box and sortable columns for tables with class rj-sortable, and small accessibility
   fixes to the theme's markup. No network, no libraries. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("div.rj-ledger").forEach(function (box) {
    var input = box.querySelector("input.rj-filter");
    var table = box.querySelector("table");
    var count = box.querySelector(".rj-count");
    if (!input || !table) return;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var hit = !q || tr.textContent.toLowerCase().indexOf(q) !== -1;
        tr.hidden = !hit;
        if (hit) shown += 1;
      });
      if (count) count.textContent = shown + (shown === 1 ? " claim" : " claims");
    });
  });
  document.querySelectorAll("table.rj-sortable").forEach(function (table) {
    // each header holds a real button, so the header keeps its role (and aria-sort) for screen
    // readers and the keyboard works without extra code
    table.querySelectorAll("thead th").forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rj-sort";
      button.title = "Sort by this column";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (tr) {
          var td = tr.cells[col];
          if (!td) return "";
          var s = td.getAttribute("data-sort");
          return s !== null ? parseFloat(s) : td.textContent.trim().toLowerCase();
        };
        // a cell's data-group (a value's unit) sorts first, so amounts in different units are
        // never ranked against each other; within a group the values sort
        var group = function (tr) {
          var td = tr.cells[col];
          return (td && td.getAttribute("data-group")) || "";
        };
        rows.sort(function (a, b) {
          var g = group(a).localeCompare(group(b));
          if (g) return g;
          var x = key(a), y = key(b);
          var r = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y));
          return asc ? r : -r;
        });
        rows.forEach(function (tr) { body.appendChild(tr); });
      });
    });
  });
  // The theme's search field is a button whose label ("Search") leaves out its visible text
  // ("Search Ctrl+K"); without the label its name is what it shows (WCAG 2.5.3, Label in Name).
  document.querySelectorAll("button.search-button-field[aria-label]").forEach(function (b) {
    if (b.textContent.trim()) b.removeAttribute("aria-label");
  });
  // Likewise the folded code cells' "Show code cell source" toggles (sphinx-togglebutton labels
  // them "Toggle hidden content"); they are made by another script, so fix them once it has run.
  function nameToggles() {
    document.querySelectorAll("details > summary[aria-label]").forEach(function (s) {
      if (s.textContent.trim()) s.removeAttribute("aria-label");
    });
  }
  nameToggles();
  // the toggles exist once every DOMContentLoaded handler has run: fix them at load, no watching
  // (with a MutationObserver here, the PDF print timed out waiting for the whole-book page to
  // settle in two of three fresh clones)
  window.addEventListener("load", nameToggles);
  // open a linked claim: highlight the row the URL points to; a bare claim id (#wang2021-030)
  // names no element, so it is led to its row (#claim-wang2021-030) and scrolled into view
  function openClaim() {
    var h = decodeURIComponent(window.location.hash.slice(1));
    if (!h) return;
    var bare = !document.getElementById(h) && document.getElementById("claim-" + h);
    var row = bare || (h.indexOf("claim-") === 0 && document.getElementById(h));
    if (!row) return;
    row.classList.add("rj-target");
    if (bare) row.scrollIntoView({block: "center"});
  }
  openClaim();
  window.addEventListener("hashchange", openClaim);
});
