// Placeholder: lists the published modules from the API until the web app lands.
const list = document.getElementById("modules");
fetch("/api/v1/modules")
  .then((r) => r.json())
  .then((body) => {
    list.replaceChildren(...body.data.map((m) => {
      const li = document.createElement("li");
      li.textContent = `${m.title} (${m.minutes} min): ${m.summary}`;
      return li;
    }));
  })
  .catch(() => { list.replaceChildren(Object.assign(document.createElement("li"), { textContent: "Could not load modules." })); });
