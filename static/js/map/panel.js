/* The side panel (#council-panel). A council's panel is the server's own fragment,
   swapped in by htmx (the view answers htmx with the fragment, and a link opened
   without JavaScript with a page of its own); a partnership's is built here from its
   JSON, as text. The map follows what the panel says: the partners it names. */

import { element } from "./dom.js";

export function createPanel(root, { onShowPartnership }) {
  function loading(text) {
    root.setAttribute("aria-busy", "true");
    root.replaceChildren(element("p", "muted", text));
  }

  function done() {
    root.removeAttribute("aria-busy");
  }

  // A council's panel from `url`. Resolves true once it is shown, false if the server
  // refused it; rejects if the request failed or a newer one replaced it (the panel's
  // hx-sync="this:replace").
  function loadCouncil(url) {
    return htmx
      .ajax("GET", url, { source: root, target: root, swap: "innerHTML" })
      .then(function () {
        // htmx swaps nothing on an error status, leaving the loading message.
        return root.querySelector(".council-panel__body[data-gss]") !== null;
      });
  }

  function failed(text, link) {
    const message = element("p", "", text);
    if (link) {
      const own = element("a", "", link.text);
      own.href = link.href;
      message.append(own, ".");
    }
    root.replaceChildren(message);
  }

  function councilName() {
    const heading = root.querySelector(".council-panel__title");
    return heading ? heading.textContent.trim() : "";
  }

  function sharedItems() {
    return Array.from(root.querySelectorAll("li[data-partnership]")).map(function (item) {
      return {
        slug: item.getAttribute("data-partnership"),
        partnership: item.querySelector("a").textContent,
        category: item.getAttribute("data-category"),
        categoryName: item.getAttribute("data-category-name"),
        members: (item.getAttribute("data-members") || "").split(",").filter(Boolean),
      };
    });
  }

  // GSS code -> [{partnership, category, categoryName}]: what each partner shares with
  // the council shown.
  function partners() {
    const result = new Map();
    sharedItems().forEach(function (item) {
      const entry = {
        partnership: item.partnership,
        category: item.category,
        categoryName: item.categoryName,
      };
      item.members.forEach(function (gss) {
        if (!result.has(gss)) {
          result.set(gss, []);
        }
        result.get(gss).push(entry);
      });
    });
    return result;
  }

  // The partnerships shown that count any of `codes` among their members.
  function partnershipsWith(codes) {
    return sharedItems()
      .filter(function (item) {
        return item.members.some(function (gss) {
          return codes.has(gss);
        });
      })
      .map(function (item) {
        return item.slug;
      });
  }

  function showPartnership(data) {
    const body = element("div", "council-panel__body");
    body.setAttribute("data-partnership", data.slug);
    const title = element("h2", "council-panel__title");
    title.setAttribute("tabindex", "-1");
    const link = element("a", "", data.name);
    link.href = data.url;
    title.appendChild(link);
    body.appendChild(title);
    if (data.categories.length) {
      const tags = element("div");
      data.categories.forEach(function (name) {
        tags.appendChild(element("span", "tag", name));
      });
      body.appendChild(tags);
    }
    const count = data.members.length;
    body.appendChild(
      element(
        "p",
        "",
        count + (count === 1 ? " member council" : " member councils") + ", highlighted on the map:"
      )
    );
    const members = element("ul", "council-panel__list");
    data.members.forEach(function (member) {
      const li = element("li");
      li.setAttribute("data-member", member.gss_code);
      const a = element("a", "", member.name);
      a.href = member.url;
      li.appendChild(a);
      if (member.lead) {
        li.appendChild(document.createTextNode(" (lead)"));
      }
      members.appendChild(li);
    });
    body.appendChild(members);
    if (data.bodies.length) {
      body.appendChild(element("p", "", "Public-body partners, drawn on the map:"));
      const bodies = element("ul", "council-panel__list");
      data.bodies.forEach(function (partner) {
        const covers = partner.covers.length;
        const how = partner.area
          ? "outlined: the area of " + covers + (covers === 1 ? " council" : " councils") + " it covers"
          : "marked with a labelled pin at the centre of the member councils";
        const text = partner.name + " (" + partner.sector + ", " + partner.kind + ") – " + how;
        bodies.appendChild(element("li", "", text));
      });
      body.appendChild(bodies);
    }
    root.replaceChildren(body);
  }

  // Stop a council's panel on its way, when a partnership is chosen instead.
  function cancel() {
    htmx.trigger(root, "htmx:abort");
  }

  root.addEventListener("click", function (event) {
    const button = event.target.closest("[data-show-partnership]");
    if (button) {
      onShowPartnership(button.getAttribute("data-show-partnership"));
    }
  });

  return {
    cancel: cancel,
    councilName: councilName,
    done: done,
    failed: failed,
    loadCouncil: loadCouncil,
    loading: loading,
    partners: partners,
    partnershipsWith: partnershipsWith,
    showPartnership: showPartnership,
  };
}
