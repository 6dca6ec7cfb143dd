// Business-card upload: reading starts as soon as a photo is chosen (on a phone, right after
// the camera), and the button says so while the server reads it. Without JavaScript the
// button submits as usual.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.dataset.autosubmit !== "true") return;
  if (!input.files || input.files.length === 0) return;
  input.form.requestSubmit();
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains("card-upload")) return;
  const button = form.querySelector("[data-busy-label]");
  if (button) {
    button.disabled = true;
    button.textContent = button.dataset.busyLabel;
  }
});
