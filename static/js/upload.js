// Evidence upload: drag and drop or the file chooser, one request per file with a progress bar and a result each.
// Without this script the form posts all files at once and the server lists the results.
(function () {
  "use strict";

  function text(tag, content, className) {
    var el = document.createElement(tag);
    if (content) el.textContent = content;
    if (className) el.className = className;
    return el;
  }

  function formatBytes(n) {
    var units = ["bytes", "KB", "MB", "GB", "TB"], i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + " " + units[i];
  }

  var fmt = window.interpolate || function (s, args) { var i = 0; return s.replace(/%s/g, function () { return args[i++]; }); };
  // The kind of evidence a file's type suggests; the researcher can change it per file before uploading.
  function guessKind(file, fallback) {
    var type = (file.type || "").toLowerCase(), name = file.name.toLowerCase();
    if (type === "text/html" || type === "application/xhtml+xml" || /\.(warc|warc\.gz|mhtml|wacz)$/.test(name)) return "web_capture";
    if (type.indexOf("image/") === 0) return "photo";
    if (type.indexOf("video/") === 0) return "video";
    if (type.indexOf("audio/") === 0) return "audio";
    if (type === "application/pdf" || type.indexOf("text/") === 0 || /word|officedocument|opendocument|rtf/.test(type)) return "document";
    if (/\.(jpe?g|png|gif|webp|tiff?|heic)$/.test(name)) return "photo";
    if (/\.(mp4|mov|webm|mkv|avi)$/.test(name)) return "video";
    if (/\.(mp3|m4a|ogg|opus|wav|aac)$/.test(name)) return "audio";
    if (/\.(pdf|docx?|odt|txt|rtf)$/.test(name)) return "document";
    return fallback;
  }

  var LABELS = { stored: gettext("Stored"), duplicate: gettext("Already in the archive"), rejected: gettext("Rejected") };

  var seq = 0;

  function enhance(form) {
    var input = form.querySelector("input[type=file]");
    var dropzone = form.querySelector(".dropzone");
    var queueList = form.querySelector(".upload-queue");
    var results = form.querySelector(".upload-results");
    var button = form.querySelector("button[type=submit]");
    var maxBytes = parseInt(form.dataset.maxBytes, 10) || Infinity;
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var queue = [];  // {file, kind}
    var kindSelect = form.querySelector("select[name=kind]");
    seq += 1;

    input.removeAttribute("required");

    function showQueue() {
      queueList.textContent = "";
      queueList.hidden = queue.length === 0;
      queue.forEach(function (entry, index) {
        var file = entry.file;
        var li = text("li");
        li.appendChild(text("span", file.name + " (" + formatBytes(file.size) + ")"));
        if (kindSelect) {
          // Each file's own kind, guessed from its type; the form's Kind is the default for files it cannot guess.
          var id = "upload-kind-" + seq + "-" + index;
          var label = text("label", fmt(gettext("Kind of %s"), [file.name]), "visually-hidden");
          label.htmlFor = id;
          var select = kindSelect.cloneNode(true);
          select.removeAttribute("name");
          select.removeAttribute("aria-describedby");
          select.id = id;
          select.className = "upload-kind";
          select.value = entry.kind || "";
          select.addEventListener("change", function () { entry.kind = select.value; });
          li.appendChild(label);
          li.appendChild(select);
        }
        var remove = text("button", gettext("Remove"), "link-button");
        remove.type = "button";
        remove.setAttribute("aria-label", fmt(gettext("Remove %s"), [file.name]));
        remove.addEventListener("click", function () { queue.splice(index, 1); showQueue(); });
        li.appendChild(remove);
        queueList.appendChild(li);
      });
      button.textContent = queue.length > 1 ? fmt(gettext("Upload %s files"), [queue.length]) : gettext("Upload");
    }

    function add(files) {
      Array.prototype.forEach.call(files, function (f) {
        queue.push({ file: f, kind: guessKind(f, kindSelect ? kindSelect.value : "") });
      });
      showQueue();
    }

    input.addEventListener("change", function () { add(input.files); input.value = ""; });
    ["dragenter", "dragover"].forEach(function (type) {
      dropzone.addEventListener(type, function (e) { e.preventDefault(); dropzone.classList.add("dragover"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      dropzone.addEventListener(type, function () { dropzone.classList.remove("dragover"); });
    });
    dropzone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) add(e.dataTransfer.files);
    });

    function finish(row, status, message, url) {
      row.li.className = "upload-result result-" + status;
      if (status === "rejected") {
        // Nothing was stored: no full bar that reads as success, a red state instead.
        row.progress.remove();
        row.li.setAttribute("aria-invalid", "true");
      } else {
        row.progress.value = 100;
      }
      row.state.textContent = LABELS[status] + ".";
      row.message.textContent = message || "";
      if (url) {
        var link = text("a", gettext("Open"));
        link.href = url;
        row.li.appendChild(link);
      }
    }

    function send(entry, row) {
      var file = entry.file;
      return new Promise(function (resolve) {
        if (file.size > maxBytes) {
          finish(row, "rejected", fmt(gettext("The file is larger than the limit of %s."), [formatBytes(maxBytes)]));
          return resolve();
        }
        if (file.size === 0) {
          finish(row, "rejected", gettext("The file is empty."));
          return resolve();
        }
        var data = new FormData(form);
        data.delete("files");
        data.append("files", file, file.name);
        if (entry.kind) data.set("kind", entry.kind);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.setRequestHeader("X-CSRFToken", csrf);
        xhr.upload.addEventListener("progress", function (e) {
          if (!e.lengthComputable) return;
          var pct = Math.floor((e.loaded / e.total) * 100);
          row.progress.value = pct;
          row.state.textContent = fmt(gettext("Uploading… %s%"), [pct]);
        });
        xhr.upload.addEventListener("load", function () {
          row.state.textContent = gettext("Checking…");
        });
        xhr.addEventListener("load", function () {
          var body = null;
          try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
          var r = body && body.results && body.results[0];
          if (r) finish(row, r.status, r.message, r.url);
          else finish(row, "rejected", fmt(gettext("The server answered %s."), [xhr.status]));
          resolve();
        });
        xhr.addEventListener("error", function () {
          finish(row, "rejected", gettext("The upload was interrupted. Nothing was stored; please try again."));
          resolve();
        });
        xhr.send(data);
      });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!queue.length) {
        results.textContent = "";
        results.appendChild(text("li", gettext("Choose at least one file to upload."), "upload-result result-rejected"));
        return;
      }
      var unkind = queue.filter(function (entry) { return kindSelect && !entry.kind; });
      if (unkind.length) {
        var first = queueList.querySelector("select.upload-kind");
        (Array.prototype.find.call(queueList.querySelectorAll("select.upload-kind"), function (s) { return !s.value; }) || first || kindSelect).focus();
        results.textContent = "";
        results.appendChild(text("li", gettext("Choose the kind of evidence first."), "upload-result result-rejected"));
        return;
      }
      var files = queue.slice();
      queue = [];
      showQueue();
      button.disabled = true;
      results.textContent = "";
      var rows = files.map(function (entry) {
        var file = entry.file;
        var li = text("li", null, "upload-result");
        li.appendChild(text("strong", file.name));
        var progress = text("progress");
        progress.max = 100;
        progress.value = 0;
        progress.setAttribute("aria-label", fmt(gettext("Upload progress of %s"), [file.name]));
        li.appendChild(progress);
        var state = text("span", gettext("Waiting"), "upload-state");
        li.appendChild(state);
        var message = text("span", "", "upload-message");
        li.appendChild(message);
        results.appendChild(li);
        return { li: li, progress: progress, state: state, message: message };
      });
      // One file at a time: the bandwidth goes to finishing files, not to half-finishing many.
      files.reduce(function (previous, file, i) {
        return previous.then(function () { return send(file, rows[i]); });
      }, Promise.resolve()).then(function () {
        button.disabled = false;
        var done = text("li", null, "upload-done");
        results.appendChild(done);
        refreshPanel(done, rows.some(function (row) { return !/result-rejected/.test(row.li.className); }));
      });
    });
  }

  // The incident page's evidence panel is re-read from the page itself once the uploads are done: no extra
  // endpoint, and the same access rules as the page. Elsewhere (or if that fails) a link reloads the page.
  function refreshPanel(done, anyStored) {
    var panel = document.getElementById("evidence-items");
    function offerReload() {
      var reload = text("a", gettext("Refresh the page to see the new evidence"));
      reload.href = window.location.pathname + window.location.search;
      done.appendChild(reload);
    }
    if (!panel || !anyStored) { if (anyStored) offerReload(); return; }
    done.textContent = gettext("Updating the evidence list…");
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("evidence-items");
        if (!fresh) throw new Error("no panel");
        panel.replaceWith(document.importNode(fresh, true));
        var count = document.getElementById("evidence-count"), freshCount = page.getElementById("evidence-count");
        if (count && freshCount) count.textContent = freshCount.textContent;
        done.textContent = gettext("The evidence list below is up to date.");
        document.dispatchEvent(new CustomEvent("evidence:refreshed"));
      })
      .catch(function () { done.textContent = ""; offerReload(); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.upload-form"), enhance);

  // The incident page keeps its upload form folded away; its "Upload evidence" link opens it.
  function openTarget() {
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.tagName === "DETAILS") {
      target.open = true;
      var first = target.querySelector("input[type=file]");
      if (first) first.focus();
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
