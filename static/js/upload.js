// Deposit form: drag and drop, and one upload per file with its own progress bar.
// Without JavaScript the form still posts every file at once.
(function () {
  "use strict";
  var form = document.querySelector("[data-upload]");
  if (!form) { return; }
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector("[data-drop-zone]");
  var list = form.querySelector("[data-upload-progress]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("drop-zone--over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("drop-zone--over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) { input.files = event.dataTransfer.files; }
  });

  function row(file) {
    var item = document.createElement("li");
    var label = document.createElement("span");
    label.textContent = file.name + " ";
    var bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    var status = document.createElement("span");
    item.appendChild(label); item.appendChild(bar); item.appendChild(status);
    list.appendChild(item);
    return { bar: bar, status: status };
  }

  function send(file) {
    var view = row(file);
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("files", file);
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { view.bar.value = Math.round(100 * event.loaded / event.total); }
    });
    request.addEventListener("load", function () {
      var answer = {};
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = {}; }
      view.bar.value = 100;
      if (answer.flows && answer.flows.length) {
        var link = document.createElement("a");
        link.href = answer.flows[0].url;
        link.textContent = answer.flows[0].number;
        view.status.textContent = " ";
        view.status.appendChild(link);
      } else {
        view.status.textContent = " " + ((answer.errors && answer.errors.join(" ")) || request.statusText);
      }
    });
    request.addEventListener("error", function () { view.status.textContent = " ✗"; });
    request.send(data);
  }

  form.addEventListener("submit", function (event) {
    if (!input.files || !input.files.length || !window.FormData) { return; }
    event.preventDefault();
    list.textContent = "";
    Array.prototype.forEach.call(input.files, send);
  });
})();
