/* Search as you type: turns each [data-combobox] text field into a WAI-ARIA 1.2
   combobox with a listbox of councils, partnerships, public bodies and services (from
   the search endpoint, which forgives punctuation and knows GSS codes).
   Up and Down move through the suggestions, Enter chooses, Escape closes (or, when
   closed, clears). Choosing dispatches a cancelable "search:choose" event on the
   field; unless a page script (the map) handles it, the browser goes to the chosen
   page. Without JavaScript the field is a plain one sent with its form. */
(function () {
  "use strict";

  function initCombobox(root) {
    const input = root.querySelector(".combobox__input");
    const listbox = root.querySelector(".combobox__listbox");
    const status = root.querySelector(".combobox__status");
    const url = root.getAttribute("data-search-url");
    if (!input || !listbox || !url) {
      return;
    }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    let options = [];
    let active = -1;
    let request = 0;
    let timer = null;

    function isOpen() {
      return !listbox.hidden;
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      setActive(-1);
    }

    function open() {
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function setActive(index) {
      active = index;
      options.forEach(function (option, i) {
        const selected = i === index;
        option.element.setAttribute("aria-selected", selected ? "true" : "false");
        option.element.classList.toggle("combobox__option--active", selected);
        if (selected) {
          input.setAttribute("aria-activedescendant", option.element.id);
          option.element.scrollIntoView({ block: "nearest" });
        }
      });
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(option) {
      input.value = option.item.name;
      close();
      const event = new CustomEvent("search:choose", {
        bubbles: true,
        cancelable: true,
        detail: { kind: option.kind, item: option.item },
      });
      if (input.dispatchEvent(event)) {
        window.location.href = option.item.url;
      }
    }

    // One flat list (a listbox owns options only); each option says what it is.
    function addGroup(kind, items, describe) {
      items.forEach(function (item) {
        const element = document.createElement("li");
        element.id = listbox.id + "-" + options.length;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        element.className = "combobox__option";
        element.setAttribute("data-kind", kind);
        element.textContent = item.name;
        const extra = document.createElement("span");
        extra.className = "combobox__kind";
        extra.textContent = " (" + describe(item) + ")";
        element.appendChild(extra);
        const option = { element: element, kind: kind, item: item };
        element.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
        });
        element.addEventListener("click", function () {
          choose(option);
        });
        options.push(option);
        listbox.appendChild(element);
      });
    }

    function counted(n, one, many) {
      return n + " " + (n === 1 ? one : many);
    }

    function show(data) {
      listbox.replaceChildren();
      options = [];
      addGroup("council", data.councils, function (c) {
        return c.current ? c.type : c.type + ", former";
      });
      addGroup("partnership", data.partnerships, function () {
        return "partnership";
      });
      addGroup("body", data.bodies || [], function (b) {
        return b.kind;
      });
      addGroup("category", data.categories || [], function () {
        return "service";
      });
      status.textContent = options.length
        ? counted(data.councils.length, "council", "councils") +
          ", " +
          counted(data.partnerships.length, "partnership", "partnerships") +
          ", " +
          counted((data.bodies || []).length, "public body", "public bodies") +
          " and " +
          counted((data.categories || []).length, "service", "services") +
          " found. Use the Up and Down arrows to choose."
        : "Nothing found.";
      setActive(-1);
      if (options.length) {
        open();
      } else {
        close();
      }
    }

    function lookUp() {
      const text = input.value.trim();
      const mine = ++request;
      if (text.length < 2) {
        options = [];
        listbox.replaceChildren();
        close();
        status.textContent = "";
        return;
      }
      fetch(url + "?" + new URLSearchParams({ q: text }).toString(), {
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (mine === request) {
            show(data);
          }
        })
        .catch(function () {
          if (mine === request) {
            status.textContent = "Suggestions could not be loaded; press Enter to search.";
          }
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) {
          return;
        }
        event.preventDefault();
        if (!isOpen()) {
          open();
        }
        const step = event.key === "ArrowDown" ? 1 : -1;
        let next = active + step;
        if (next >= options.length) {
          next = 0;
        } else if (next < 0) {
          next = options.length - 1;
        }
        setActive(next);
      } else if (event.key === "Enter") {
        if (isOpen() && active >= 0) {
          event.preventDefault();
          choose(options[active]);
        }
      } else if (event.key === "Escape") {
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          status.textContent = "";
        }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
    input.addEventListener("focus", function () {
      open();
    });
  }

  document.querySelectorAll("[data-combobox]").forEach(initCombobox);
})();
