/* Evidence upload in pieces (断点续传) through the resumable upload API, then registration.
 *
 * For a <form data-upload data-case-id=N data-success-url=URL>: the selected file is sent
 * in chunks (PUT /api/v1/uploads/{id}?offset=N with the chunk's SHA-256 in X-Chunk-SHA256,
 * computed with crypto.subtle); after a network error it waits, asks the server for the
 * offset it holds (GET /api/v1/uploads/{id}) and continues from there; an upload cut by a
 * reload resumes from the offset remembered in localStorage. When complete it finishes the
 * upload, registers the evidence (POST /api/v1/cases/{id}/evidence/from-upload) and opens
 * the case page. Without fetch or crypto.subtle (old browser, plain-HTTP intranet) the form
 * is submitted as an ordinary multipart POST instead. No inline script (CSP script-src 'self').
 */
(function () {
  "use strict";

  var CHUNK = 2 * 1024 * 1024;
  var MAX_RETRIES = 8;

  function supported() {
    return !!(window.fetch && window.crypto && window.crypto.subtle && window.Blob && Blob.prototype.slice &&
      Blob.prototype.arrayBuffer && window.Promise);
  }

  function text(form, key, fallback) {
    return form.getAttribute("data-msg-" + key) || fallback;
  }

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  /* An error carrying the API's {"error": {code, message, details}} (or a network failure). */
  function ApiError(status, body) {
    var err = (body && body.error) || {};
    this.status = status;
    this.code = err.code || (status ? "http_" + status : "network_error");
    this.message = err.message || "";
    this.details = err.details || {};
  }

  function api(method, url, csrf, body, headers) {
    var init = {method: method, credentials: "same-origin", headers: {"X-CSRFToken": csrf, "Accept": "application/json"}};
    if (headers) for (var k in headers) init.headers[k] = headers[k];
    if (body instanceof Blob || body instanceof ArrayBuffer) {
      init.body = body;
      init.headers["Content-Type"] = "application/octet-stream";
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    return fetch(url, init).then(function (response) {
      return response.text().then(function (raw) {
        var data = null;
        try { data = raw ? JSON.parse(raw) : null; } catch (e) { data = null; }
        if (!response.ok) throw new ApiError(response.status, data);
        return data;
      });
    }, function () { throw new ApiError(0, null); });
  }

  function transient(err) {
    return err.status === 0 || err.status >= 500 || err.status === 429;
  }

  function speakers(raw) {
    var out = [];
    (raw || "").split(/\r?\n/).forEach(function (line) {
      line = line.trim();
      if (!line) return;
      var m = line.match(/^(.+?)\s*[,，、\s]\s*(.+)$/);
      out.push(m ? {name: m[1].trim(), role: m[2].trim()} : {name: line, role: ""});
    });
    return out;
  }

  function Uploader(form) {
    this.form = form;
    this.caseId = form.getAttribute("data-case-id");
    this.successUrl = form.getAttribute("data-success-url");
    this.csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    this.box = form.querySelector(".upload-progress");
    this.bar = form.querySelector(".upload-progress progress");
    this.status = form.querySelector(".upload-status");
    this.errorBox = form.querySelector(".upload-error");
    this.button = form.querySelector("button[type=submit]");
  }

  Uploader.prototype.say = function (message, fraction) {
    this.box.hidden = false;
    this.status.textContent = message;
    if (fraction !== undefined) this.bar.value = Math.floor(fraction * 100);
  };

  Uploader.prototype.fail = function (err) {
    var field = err.details && err.details.field;
    var map = {sha256: "file", blob_sha256: "file", activity: "activity_id"};
    var name = map[field] || field;
    var input = name && this.form.querySelector("[name='" + String(name).replace(/'/g, "") + "']");
    var message = err.message || text(this.form, "failed", "The upload failed. Check the connection and try again.");
    this.form.querySelectorAll(".field-error.js").forEach(function (el) { el.remove(); });
    if (input) {
      var p = document.createElement("p");
      p.className = "field-error js";
      p.setAttribute("role", "alert");
      p.textContent = message;
      input.closest(".field, fieldset").appendChild(p);
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } else {
      this.errorBox.textContent = message;
      this.errorBox.hidden = false;
    }
    this.button.disabled = false;
  };

  Uploader.prototype.key = function (file) {
    return "sanxiang-upload:" + this.caseId + ":" + file.name + ":" + file.size + ":" + file.lastModified;
  };

  /* The upload session to continue (remembered) or a new one. */
  Uploader.prototype.session = function (file) {
    var self = this, key = this.key(file), remembered = null;
    try { remembered = window.localStorage.getItem(key); } catch (e) { remembered = null; }
    var fresh = function () {
      return api("POST", "/api/v1/uploads", self.csrf, {size: file.size, filename: file.name,
        content_type: file.type || null}).then(function (created) {
        try { window.localStorage.setItem(key, created.id); } catch (e) { /* private mode */ }
        return {id: created.id, offset: created.offset, chunk: Math.min(created.chunk_size, CHUNK)};
      });
    };
    if (!remembered) return fresh();
    return api("GET", "/api/v1/uploads/" + encodeURIComponent(remembered), this.csrf).then(function (s) {
      if (s.state === "finished" && s.sha256) return {id: s.id, finished: s.sha256};
      if (s.state !== "open") return fresh();
      return {id: s.id, offset: s.offset, chunk: Math.min(s.chunk_size, CHUNK)};
    }, function () { return fresh(); });
  };

  Uploader.prototype.offset = function (id) {
    return api("GET", "/api/v1/uploads/" + encodeURIComponent(id), this.csrf).then(function (s) { return s.offset; });
  };

  Uploader.prototype.send = function (file, session) {
    var self = this, offset = session.offset, failures = 0;
    var url = "/api/v1/uploads/" + encodeURIComponent(session.id);
    var sending = text(self.form, "sending", "Uploading…");
    var retrying = text(self.form, "retrying", "Connection lost; retrying…");
    function step() {
      self.say(sending + " " + Math.floor(100 * offset / file.size) + "%", offset / file.size);
      if (offset >= file.size) return Promise.resolve();
      var chunk = file.slice(offset, Math.min(offset + session.chunk, file.size));
      return chunk.arrayBuffer().then(function (buffer) {
        return window.crypto.subtle.digest("SHA-256", buffer).then(function (digest) {
          return api("PUT", url + "?offset=" + offset, self.csrf, buffer, {"X-Chunk-SHA256": hex(digest)});
        });
      }).then(function (result) {
        failures = 0;
        offset = result.offset;
        return step();
      }, function (err) {
        if (err.code === "offset_mismatch" && err.details.expected_offset !== undefined) {
          offset = err.details.expected_offset;
          return step();
        }
        if (!transient(err) || ++failures > MAX_RETRIES) throw err;
        self.say(retrying, offset / file.size);
        return sleep(Math.min(30000, 1000 * Math.pow(2, failures - 1))).then(function () {
          return self.offset(session.id).then(function (held) { offset = held; }, function () { /* still offline */ });
        }).then(step);
      });
    }
    return step();
  };

  Uploader.prototype.register = function (file, blob) {
    var f = this.form;
    var value = function (name) { var el = f.elements[name]; return el ? el.value : ""; };
    var when = value("recorded_at");
    var body = {sha256: blob.sha256, kind: value("kind"), description: value("description"),
      speakers: speakers(value("speakers")), device: value("device"), filename: file.name,
      recorded_at: when || new Date().toISOString()};
    if (value("activity_id")) body.activity_id = value("activity_id");
    return api("POST", "/api/v1/cases/" + encodeURIComponent(this.caseId) + "/evidence/from-upload", this.csrf, body);
  };

  Uploader.prototype.run = function (file) {
    var self = this;
    self.button.disabled = true;
    self.errorBox.hidden = true;
    return self.session(file).then(function (session) {
      if (session.finished) return {sha256: session.finished};
      return self.send(file, session).then(function () {
        self.say(text(self.form, "finishing", "Checking the file…"), 1);
        return api("POST", "/api/v1/uploads/" + encodeURIComponent(session.id) + "/finish", self.csrf);
      });
    }).then(function (blob) {
      try { window.localStorage.removeItem(self.key(file)); } catch (e) { /* private mode */ }
      self.say(text(self.form, "registering", "Registering the evidence…"), 1);
      return self.register(file, blob);
    }).then(function () {
      self.say(text(self.form, "done", "Done."), 1);
      window.location.assign(self.successUrl);
    }, function (err) { self.fail(err); });
  };

  function init(form) {
    if (!supported()) return; // the ordinary multipart POST does the work
    var input = form.querySelector("input[type=file]");
    var kind = form.elements.kind;
    if (input && kind) {
      input.addEventListener("change", function () {
        var type = input.files[0] && input.files[0].type || "";
        var guess = type.indexOf("image/") === 0 ? "photo" : type.indexOf("video/") === 0 ? "video"
          : type.indexOf("audio/") === 0 ? "audio" : type === "application/pdf" ? "document" : "";
        if (guess) kind.value = guess;
      });
    }
    form.addEventListener("submit", function (event) {
      var file = input && input.files && input.files[0];
      if (!file) return; // let the server say the file is missing
      event.preventDefault();
      new Uploader(form).run(file);
    });
    form.setAttribute("data-upload-ready", "chunked");
  }

  function start() {
    document.querySelectorAll("form[data-upload]").forEach(init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
