// The citation box: fills in the formatted citations (Chicago, MLA) a letter's page links to, and
// shows copy buttons. Without JavaScript the links lead to the citation page, and the text can be
// selected and copied by hand.
"use strict";
(async function () {
  const pending = Array.from(document.querySelectorAll("[data-cite-url][data-style]"));
  if (pending.length) {
    try {
      const response = await fetch(pending[0].dataset.citeUrl, {headers: {Accept: "application/json"}});
      if (response.ok) {
        const data = await response.json();
        for (const element of pending) {
          const text = data.citations[element.dataset.style];
          if (text) element.textContent = text;  // text, never markup
          element.removeAttribute("data-cite-url");
        }
      }
    } catch (error) {
      // The links to the citation page stay.
    }
  }
  document.querySelectorAll("button.copy[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard || source.hasAttribute("data-cite-url")) return;
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        button.textContent = "Copied";
        button.classList.add("done");
      } catch (error) {
        button.textContent = "Select the text to copy it";
      }
      setTimeout(() => { button.textContent = label; button.classList.remove("done"); }, 2000);
    });
  });
})();
