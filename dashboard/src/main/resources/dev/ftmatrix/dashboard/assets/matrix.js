// Search, filter and sort of the matrix table, on the client: the site is static.
(function () {
  var q = document.getElementById('q'), verdict = document.getElementById('verdict'),
      variant = document.getElementById('variant'), binding = document.getElementById('binding'), sort = document.getElementById('sort'),
      body = document.querySelector('#matrix tbody'), shown = document.getElementById('shown');
  function apply() {
    // cells: 0 the project, 1 its binding layers, 2.. one per variant
    var s = q.value.trim().toLowerCase(), v = verdict.value, col = +variant.value, b = binding.value, n = 0,
        rows = body.rows;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], ok = !s || r.cells[0].textContent.toLowerCase().indexOf(s) >= 0;
      if (ok && b) {
        ok = r.cells[1].textContent.split(' ').indexOf(b) >= 0;
      }
      if (ok && v) {
        ok = false;
        for (var j = 2; j < r.cells.length; j++) {
          if ((col < 0 || j - 2 === col) && r.cells[j].textContent === v) { ok = true; break; }
        }
      }
      r.hidden = !ok;
      if (ok) n++;
    }
    shown.textContent = n + ' of ' + rows.length + ' projects shown';
  }
  function order() {
    var rows = Array.prototype.slice.call(body.rows), byName = function (a, b) {
      return a.cells[0].textContent.localeCompare(b.cells[0].textContent);
    };
    rows.sort(sort.value === 'changed' ? function (a, b) { return (+b.dataset.c) - (+a.dataset.c) || byName(a, b); } : byName);
    rows.forEach(function (r) { body.appendChild(r); });
  }
  q.addEventListener('input', apply);
  verdict.addEventListener('change', apply);
  variant.addEventListener('change', apply);
  binding.addEventListener('change', apply);
  sort.addEventListener('change', function () { order(); apply(); });
  apply();
}());
