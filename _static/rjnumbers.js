/* Filter box and sortable columns for tables with class rj-sortable. No network, no libraries. */
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
      if (count) count.textContent = shown + " claims";
    });
  });
  document.querySelectorAll("table.rj-sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, col) {
      th.setAttribute("role", "button");
      th.setAttribute("tabindex", "0");
      th.title = "Sort by this column";
      var sort = function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (tr) {
          var td = tr.cells[col];
          var s = td.getAttribute("data-sort");
          return s !== null ? parseFloat(s) : td.textContent.trim().toLowerCase();
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var r = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y));
          return asc ? r : -r;
        });
        rows.forEach(function (tr) { body.appendChild(tr); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
  // open a linked claim: highlight the row the URL points to
  var h = window.location.hash;
  if (h && h.indexOf("#claim-") === 0) {
    var row = document.getElementById(h.slice(1));
    if (row) row.classList.add("rj-target");
  }
});
