// A confirmation step as a modal <dialog>: the focus starts on "Cancel",
// Escape cancels, and the focus goes back to where it was.
import { t } from "./i18n.js";
import { h, id } from "./dom.js";

/** confirmAction resolves true when the person confirms. */
export function confirmAction({ title, text, confirm, danger = true }) {
  return new Promise((resolve) => {
    const back = document.activeElement;
    const tid = id("confirm-title");
    const did = id("confirm-text");
    const dlg = h("dialog", { class: "confirm-dialog", "aria-labelledby": tid, "aria-describedby": did },
      h("form", { method: "dialog", class: "inner" },
        h("h2", { id: tid }, title),
        h("p", { id: did }, text),
        h("div", { class: "actions" },
          h("button", { type: "submit", value: "ok", class: danger ? "danger" : "primary", id: "confirm-ok" }, confirm),
          h("button", { type: "submit", value: "cancel", class: "secondary", id: "confirm-cancel" }, t("confirm.cancel")))));
    dlg.addEventListener("close", () => {
      const ok = dlg.returnValue === "ok";
      dlg.remove();
      if (back && back.isConnected) back.focus();
      resolve(ok);
    });
    document.body.append(dlg);
    dlg.showModal();
    dlg.querySelector("#confirm-cancel").focus();
  });
}
