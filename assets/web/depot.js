// Progressive enhancement of the deposit forms: drag and drop, and a progress bar. Without
// this script the same forms post as usual and the server answers with a page.
"use strict";
document.querySelectorAll("form[data-depot]").forEach(function (form) {
  var fichier = form.querySelector("input[type=file]");
  var zone = form.querySelector("[data-zone]");
  var barre = form.querySelector("[data-progression]");
  var erreur = form.querySelector("[data-erreur]");
  if (zone && fichier) {
    zone.hidden = false;
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("survol"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("survol"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        fichier.files = e.dataTransfer.files;
        zone.textContent = "Fichier choisi : " + e.dataTransfer.files[0].name;
      }
    });
  }
  form.addEventListener("submit", function (e) {
    if (!window.XMLHttpRequest || !window.FormData) { return; }
    e.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "depot");
    if (barre) { barre.hidden = false; barre.value = 0; }
    if (erreur) { erreur.hidden = true; }
    xhr.upload.addEventListener("progress", function (p) {
      if (barre && p.lengthComputable) { barre.value = Math.round((p.loaded / p.total) * 100); }
    });
    xhr.addEventListener("load", function () {
      var suite = xhr.getResponseHeader("X-Suite");
      if (xhr.status < 400 && suite) { window.location.assign(suite); return; }
      if (erreur) { erreur.textContent = xhr.getResponseHeader("X-Erreur") ? decodeURIComponent(xhr.getResponseHeader("X-Erreur")) : "Dépôt refusé."; erreur.hidden = false; erreur.focus(); }
      if (barre) { barre.hidden = true; }
    });
    xhr.addEventListener("error", function () {
      if (erreur) { erreur.textContent = "La connexion a été interrompue : réessayez."; erreur.hidden = false; }
      if (barre) { barre.hidden = true; }
    });
    xhr.send(new FormData(form));
  });
});
