/* The question editor's rows (choices, levels, thresholds): move a row up or down, or insert
   an empty row above one, with buttons that work with the keyboard and are announced to screen
   readers. Plain JavaScript. Without it the form still works: each row has a "Position" number
   and the server saves the rows in that order (question_form.order_rows); this script hides
   those numbers and keeps them in step with the rows as they stand.
   Its words come in the page's language from the form's data-row-words (a JSON object made by
   web/question_sets/wording.py, with %(name)s placeholders); English if the page has none. */
(function () {
  "use strict";

  var tables = document.querySelectorAll("table[data-reorder]");
  if (!tables.length) { return; }

  var words = {
    row: "%(label)s, row %(row)s",
    up: "Move up",
    down: "Move down",
    insert: "Insert above",
    order: "Order",
    hint: "Move up and Move down change a row's place; Insert above adds an empty row " +
      "there. Empty rows are left out when the question is saved.",
    moved: "%(what)s moved to position %(position)s of %(count)s.",
    inserted: "Empty row inserted at position %(position)s.",
    quoted: "“%(text)s”",
    empty: "empty row"
  };
  var given = document.querySelector("[data-row-words]");
  if (given) {
    try {
      var translated = JSON.parse(given.getAttribute("data-row-words"));
      Object.keys(words).forEach(function (key) {
        if (typeof translated[key] === "string") { words[key] = translated[key]; }
      });
    } catch (ignored) { /* the English words above */ }
  }

  function format(text, values) {
    return text.replace(/%\((\w+)\)[sd]/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  document.body.appendChild(live);

  function say(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function rowsOf(table) {
    return Array.prototype.slice.call(table.tBodies[0].rows);
  }

  function what(row) {
    var id = row.querySelector("[name$='-id']");
    var label = row.querySelector("[name$='-label']");
    var text = (id && id.value.trim()) || (label && label.value.trim()) || "";
    return text ? format(words.quoted, { text: text }) : words.empty;
  }

  /* Positions 1, 2, 3... in the order the rows stand; every control named after its column
     (the header of its cell, as the server named it) and its row. */
  function renumber(table) {
    var headers = table.tHead.rows[0].cells;
    rowsOf(table).forEach(function (row, index) {
      var number = index + 1;
      var position = row.querySelector("[name$='-position']");
      if (position) { position.value = String(number); }
      row.querySelectorAll("input, select, textarea").forEach(function (control) {
        var header = headers[control.closest("td").cellIndex];
        if (header) {
          control.setAttribute(
            "aria-label", format(words.row, { label: header.textContent, row: number })
          );
        }
      });
      row.querySelectorAll("[data-row-action]").forEach(function (button) {
        button.setAttribute(
          "aria-label", format(words.row, { label: button.textContent, row: number })
        );
      });
      var up = row.querySelector("[data-row-action=up]");
      var down = row.querySelector("[data-row-action=down]");
      if (up) { up.setAttribute("aria-disabled", String(index === 0)); }
      if (down) {
        down.setAttribute("aria-disabled", String(index === rowsOf(table).length - 1));
      }
    });
  }

  /* A new empty row: the last row's fields, named after an index no row uses yet. */
  function emptyRow(table) {
    var rows = rowsOf(table);
    var template = rows[rows.length - 1];
    var used = 0;
    table.querySelectorAll("[name]").forEach(function (control) {
      var found = /^[a-z_]+-(\d+)-/.exec(control.name);
      if (found) { used = Math.max(used, parseInt(found[1], 10)); }
    });
    var fresh = template.cloneNode(true);
    fresh.querySelectorAll("[name]").forEach(function (control) {
      var name = control.name.replace(/^([a-z_]+)-\d+-/, "$1-" + (used + 1) + "-");
      control.name = name;
      if (control.id) { control.id = name; }
      if (control.tagName === "SELECT") {
        control.selectedIndex = 0;
      } else {
        control.value = "";
      }
      control.removeAttribute("aria-invalid");
    });
    fresh.querySelectorAll(".errors").forEach(function (error) { error.remove(); });
    fresh.querySelectorAll(".has-error").forEach(function (cell) {
      cell.classList.remove("has-error");
    });
    return fresh;
  }

  function button(action, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "link-button row-action";
    b.setAttribute("data-row-action", action);
    b.textContent = text;
    return b;
  }

  function addControls(row) {
    var cell = document.createElement("td");
    cell.className = "col-order";
    cell.appendChild(button("up", words.up));
    cell.appendChild(document.createTextNode(" "));
    cell.appendChild(button("down", words.down));
    cell.appendChild(document.createTextNode(" "));
    cell.appendChild(button("insert", words.insert));
    row.appendChild(cell);
  }

  function act(table, row, action, trigger) {
    var body = table.tBodies[0];
    var rows = rowsOf(table);
    var index = rows.indexOf(row);
    if (action === "up" || action === "down") {
      var target = action === "up" ? index - 1 : index + 1;
      if (target < 0 || target >= rows.length) { return; }
      if (action === "up") {
        body.insertBefore(row, rows[target]);
      } else {
        body.insertBefore(row, rows[target].nextSibling);
      }
      renumber(table);
      trigger.focus();  // the same button, on the row in its new place
      say(format(words.moved, { what: what(row), position: target + 1, count: rows.length }));
      return;
    }
    var fresh = emptyRow(table);
    body.insertBefore(fresh, row);
    renumber(table);
    var first = fresh.querySelector("input:not([type=hidden]):not([name$='-position']), textarea");
    if (first) { first.focus(); }
    say(format(words.inserted, { position: index + 1 }));
  }

  tables.forEach(function (table) {
    table.classList.add("js-reorder");
    var head = table.tHead.rows[0];
    var th = document.createElement("th");
    th.scope = "col";
    th.className = "col-order";
    th.textContent = words.order;
    head.appendChild(th);
    rowsOf(table).forEach(addControls);
    renumber(table);
    var hint = document.getElementById(table.getAttribute("aria-describedby"));
    if (hint) { hint.textContent = words.hint; }
    table.addEventListener("click", function (event) {
      var trigger = event.target.closest("[data-row-action]");
      if (!trigger || trigger.getAttribute("aria-disabled") === "true") { return; }
      event.preventDefault();
      act(table, trigger.closest("tr"), trigger.getAttribute("data-row-action"), trigger);
    });
  });
}());
