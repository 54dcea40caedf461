// creatormix: charts, copy buttons, the board's drag and drop, upload progress. No framework,
// no inline scripts (the Content-Security-Policy allows only files from this site).
(function () {
  "use strict";

  function drawCharts(root) {
    if (!window.Plotly) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var source = document.getElementById(el.dataset.chart);
      if (!source) { return; }
      var fig = JSON.parse(source.textContent);
      el.dataset.drawn = "1";
      window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });
    });
  }

  function loadPlotly(then) {
    if (window.Plotly) { then(); return; }
    if (!document.querySelector("[data-chart]")) { return; }
    var s = document.createElement("script");
    s.src = "/static/plotly.min.js";
    s.onload = then;
    document.head.appendChild(s);
  }

  function copy(button) {
    var text = button.dataset.copy;
    function done() {
      button.classList.add("done");
      var label = button.textContent;
      button.textContent = "copied";
      setTimeout(function () { button.textContent = label; button.classList.remove("done"); }, 1500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (button) { copy(button); }
  });

  // The board: drop a card on a lane to move the deal there (the same POST as the move form).
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".card[draggable='true']");
    if (card) { event.dataTransfer.setData("text/plain", card.dataset.creator); }
  });
  document.addEventListener("dragover", function (event) {
    var lane = event.target.closest && event.target.closest(".lane");
    if (lane) { event.preventDefault(); lane.classList.add("over"); }
  });
  document.addEventListener("dragleave", function (event) {
    var lane = event.target.closest && event.target.closest(".lane");
    if (lane) { lane.classList.remove("over"); }
  });
  document.addEventListener("drop", function (event) {
    var lane = event.target.closest && event.target.closest(".lane");
    if (!lane) { return; }
    event.preventDefault();
    lane.classList.remove("over");
    var creator = event.dataTransfer.getData("text/plain");
    var board = lane.closest(".board");
    if (!creator || !board || !window.htmx) { return; }
    window.htmx.ajax("POST", "/campaigns/" + board.dataset.campaign + "/move", {
      target: "#board",
      values: { creator: creator, stage: lane.dataset.stage, note: "" }
    });
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = document.getElementById("upload-progress");
    if (bar && event.detail.lengthComputable) {
      bar.hidden = false;
      bar.value = Math.round(100 * event.detail.loaded / event.detail.total);
    }
  });

  function ready(root) { loadPlotly(function () { drawCharts(root || document); }); }
  document.addEventListener("DOMContentLoaded", function () { ready(document); });
  document.addEventListener("htmx:afterSettle", function (event) { ready(event.target); });
})();
