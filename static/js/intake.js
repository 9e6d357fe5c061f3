/* Evidence upload in the intake wizard: the file is checked in the browser
 * (size, type by name and first bytes, not empty) before anything is sent,
 * and the upload shows its progress. The server checks the same again by
 * content; its answer is shown next to the field too. Every message comes
 * from the page (data-msg-*), translated there. */
(function () {
  "use strict";

  // The first bytes of each accepted kind, by file name extension.
  function startsWith(bytes, offset, expected) {
    for (var i = 0; i < expected.length; i++) {
      if (bytes[offset + i] !== expected[i]) return false;
    }
    return true;
  }
  var ZIP = [0x50, 0x4b, 0x03, 0x04]; // .docx and .xlsx are ZIP containers
  var SIGNATURES = {
    pdf: function (b) { return startsWith(b, 0, [0x25, 0x50, 0x44, 0x46]); },
    jpg: function (b) { return startsWith(b, 0, [0xff, 0xd8, 0xff]); },
    jpeg: function (b) { return startsWith(b, 0, [0xff, 0xd8, 0xff]); },
    png: function (b) { return startsWith(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); },
    docx: function (b) { return startsWith(b, 0, ZIP); },
    xlsx: function (b) { return startsWith(b, 0, ZIP); },
    mp4: function (b) { return startsWith(b, 4, [0x66, 0x74, 0x79, 0x70]); },
    mp3: function (b) {
      return startsWith(b, 0, [0x49, 0x44, 0x33]) || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0);
    }
  };

  // Two decimals, so that a file just over the limit does not read as equal to it.
  function formatSize(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / 1024 / 1024).toFixed(2) + " MB";
    if (bytes >= 1024) return (bytes / 1024).toFixed(2) + " KB";
    return bytes + " B";
  }

  function extensionOf(name) {
    var dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
  }

  function setUp(form) {
    var fileInput = form.elements.file;
    var description = form.elements.description;
    var maxBytes = parseInt(form.dataset.maxBytes, 10);
    var extensions = form.dataset.extensions.split(",");
    var progress = form.querySelector("[data-upload-progress]");
    var bar = form.querySelector("[data-upload-bar]");
    var status = form.querySelector("[data-upload-status]");
    var button = form.querySelector("button[type=submit]");
    var list = document.getElementById("evidence-list");

    function showErrors(field, messages) {
      var box = form.querySelector('[data-errors-for="' + field + '"]');
      box.textContent = "";
      messages.forEach(function (message) {
        var line = document.createElement("div");
        line.textContent = message;
        box.appendChild(line);
      });
      var input = form.elements[field];
      if (input) {
        input.classList.toggle("is-invalid", messages.length > 0);
        if (messages.length) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      } else {
        box.hidden = messages.length === 0;
      }
    }

    function clearErrors() {
      ["__all__", "file", "description"].forEach(function (field) { showErrors(field, []); });
    }

    function setProgress(percent) {
      progress.hidden = false;
      progress.setAttribute("aria-valuenow", String(percent));
      bar.style.width = percent + "%";
      bar.textContent = percent + "%";
    }

    // Resolves to the message for a file the server would refuse, or "".
    function checkFile(file) {
      if (!file) return Promise.resolve(form.dataset.msgNoFile);
      if (file.size > maxBytes) {
        return Promise.resolve(form.dataset.msgTooLarge.replace("{size}", formatSize(file.size)));
      }
      if (file.size === 0) return Promise.resolve(form.dataset.msgEmpty);
      var extension = extensionOf(file.name);
      if (extensions.indexOf("." + extension) < 0 || !SIGNATURES[extension]) {
        return Promise.resolve(form.dataset.msgWrongType);
      }
      return file.slice(0, 16).arrayBuffer().then(function (buffer) {
        return SIGNATURES[extension](new Uint8Array(buffer)) ? "" : form.dataset.msgWrongType;
      });
    }

    function chosenFile() {
      return fileInput.files.length ? fileInput.files[0] : null;
    }

    fileInput.addEventListener("change", function () {
      var file = chosenFile();
      if (!file) return showErrors("file", []);
      checkFile(file).then(function (message) {
        showErrors("file", message ? [message] : []);
      });
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors();
      var file = chosenFile();
      checkFile(file).then(function (message) {
        var refused = false;
        if (message) {
          showErrors("file", [message]);
          refused = true;
        }
        if (!description.value.trim()) {
          showErrors("description", [form.dataset.msgNoDescription]);
          refused = true;
        }
        if (refused) {
          (message ? fileInput : description).focus();
          return;
        }
        send();
      });
    });

    function send() {
      var xhr = new XMLHttpRequest();
      // getAttribute: form.action would be the hidden input named "action".
      xhr.open("POST", form.getAttribute("action"));
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.responseType = "json";
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) setProgress(Math.round((event.loaded / event.total) * 100));
      });
      xhr.addEventListener("load", function () {
        button.disabled = false;
        var answer = xhr.response;
        if (xhr.status === 200 && answer && answer.ok) {
          setProgress(100);
          status.textContent = answer.message;
          var empty = list.querySelector("[data-empty]");
          if (empty) empty.remove();
          list.insertAdjacentHTML("beforeend", answer.item);
          form.reset();
          return;
        }
        progress.hidden = true;
        status.textContent = "";
        if (answer && answer.errors) {
          Object.keys(answer.errors).forEach(function (field) {
            var known = form.querySelector('[data-errors-for="' + field + '"]');
            showErrors(known ? field : "__all__", answer.errors[field]);
          });
        } else {
          showErrors("__all__", [form.dataset.msgFailed]);
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        progress.hidden = true;
        status.textContent = "";
        showErrors("__all__", [form.dataset.msgFailed]);
      });
      button.disabled = true;
      status.textContent = form.dataset.msgUploading;
      setProgress(0);
      xhr.send(new FormData(form));
    }
  }

  document.querySelectorAll("form[data-evidence-upload]").forEach(setUp);
})();
