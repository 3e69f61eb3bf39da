/* The side panel (#council-panel). A council's panel is the server's own fragment,
   swapped in by htmx (the view answers htmx with the fragment, and a link opened
   without JavaScript with a page of its own); a partnership's is built here from its
   JSON, as text. The map follows what the panel says: the partners it names. */

import { element } from "./dom.js";

const INTRO =
  "Select a council on the map, or find one with the search box, to see the shared " +
  "services it takes part in.";

export function createPanel(root, { onShowPartnership, onClose }) {
  // The panel itself takes focus when it has no heading (the "Skip the map" link).
  root.setAttribute("tabindex", "-1");

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

  // Focus on the panel's heading (a council's or a partnership's), or the panel.
  function focusHeading() {
    const heading = root.querySelector(".council-panel__title");
    (heading || root).focus();
  }

  function showIntro() {
    root.replaceChildren(element("p", "muted", INTRO));
  }

  function closeButton(name) {
    const button = element("button", "council-panel__close", "Close");
    button.type = "button";
    button.setAttribute("data-close-panel", "");
    button.setAttribute("aria-label", "Close " + name + "’s panel");
    return button;
  }

  // "Operational, since 2010", "Ended in 2020, started 2010", as text.
  function statusLine(data) {
    let status = data.status;
    if (data.ended && data.end_year) {
      status = "Ended in " + data.end_year;
    }
    let since = "start year not recorded";
    if (data.start_year) {
      since = (data.ended ? "started " : "since ") + data.start_year;
    }
    const line = element("p", "council-panel__meta");
    line.appendChild(element("span", "tag" + (data.ended ? " tag--ended" : ""), status));
    line.appendChild(document.createTextNode(" " + since.charAt(0).toUpperCase() + since.slice(1)));
    return line;
  }

  // The savings to date and the latest figure with its source, in the server's words.
  function savingsList(savings) {
    const list = element("dl", "council-panel__figures");
    list.append(element("dt", "", "Savings to date"));
    const toDate = element("dd", "", savings.to_date);
    toDate.setAttribute("data-savings", "to-date");
    list.append(toDate);
    if (savings.latest) {
      list.append(element("dt", "", "Latest figure"));
      const latest = element("dd", "", savings.latest + ". Source: ");
      latest.setAttribute("data-savings", "latest");
      if (savings.source_url) {
        const link = element("a", "", savings.source);
        link.href = savings.source_url;
        latest.append(link);
      } else {
        latest.append(savings.source);
      }
      list.append(latest);
    }
    return list;
  }

  function showPartnership(data) {
    const body = element("div", "council-panel__body");
    body.setAttribute("data-partnership", data.slug);
    const head = element("div", "council-panel__head");
    const title = element("h2", "council-panel__title");
    title.setAttribute("tabindex", "-1");
    const link = element("a", "", data.name);
    link.href = data.url;
    title.appendChild(link);
    head.append(title, closeButton(data.name));
    body.appendChild(head);
    body.appendChild(statusLine(data));
    if (data.description) {
      body.appendChild(element("p", "council-panel__description", data.description));
    }
    if (data.categories.length) {
      const tags = element("div");
      data.categories.forEach(function (name) {
        tags.appendChild(element("span", "tag", name));
      });
      body.appendChild(tags);
    }
    if (data.savings) {
      body.appendChild(savingsList(data.savings));
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
        let how = "no area of its own: a pin beside the member councils";
        if (partner.area_key) {
          how = "its area outlined" + (partner.area_name ? ", " + partner.area_name : "");
        }
        const text = partner.name + " (" + partner.sector.toLowerCase() + "): " + how;
        const li = element("li", "", text);
        li.setAttribute("data-body", partner.name);
        bodies.appendChild(li);
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
    if (event.target.closest("[data-close-panel]")) {
      onClose();
    }
  });
  // Escape in the panel closes it too.
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && root.querySelector("[data-close-panel]")) {
      event.preventDefault();
      onClose();
    }
  });

  return {
    cancel: cancel,
    councilName: councilName,
    done: done,
    failed: failed,
    focusHeading: focusHeading,
    showIntro: showIntro,
    loadCouncil: loadCouncil,
    loading: loading,
    partners: partners,
    partnershipsWith: partnershipsWith,
    showPartnership: showPartnership,
  };
}
