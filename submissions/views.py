"""The questionnaire a council fills in, reached only through its secure link.

Every page carries the token in its address and checks it first: an unknown, revoked or
expired token, or an item of another questionnaire, gets the same plain 404, so a link
tells nothing about any other. The pages are never cached and send no referrer, so the
token stays out of caches, logs and other sites' referrer logs.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import error_links, errors_onto
from core.money import money_pounds
from core.parsing import ParseError, parse_int
from core.secret_links import secret_page
from partnerships.models import financial_year_label
from submissions.forms import ItemForm, ItemsForm, SaveAllForm, SubmitForm, item_initial
from submissions.models import ProposedChange, Questionnaire, QuestionnaireItem
from submissions.questionnaire_selectors import (
    answer_rows,
    partner_choices,
    questionnaire_items,
)
from submissions.services.cycle import questionnaire_for_token
from submissions.services.questionnaire import (
    ItemConflict,
    QuestionnaireChanged,
    QuestionnaireLocked,
    item_add,
    item_proposals,
    item_remove,
    item_save,
    questionnaire_locked_reason,
    questionnaire_open,
    questionnaire_submit,
)
from submissions.services.save_all import ItemAnswer, questionnaire_items_save

Answer = QuestionnaireItem.Answer


def link_not_found(request: HttpRequest) -> HttpResponse:
    """The one answer to any address that a token does not open."""
    return secret_page(render(request, "submissions/link_not_found.html", status=404))


def with_questionnaire(view):
    """Load the questionnaire the token opens, or answer 404; mark the reply private."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        questionnaire = questionnaire_for_token(token=token)
        if questionnaire is None:
            return link_not_found(request)
        if request.method == "POST" and questionnaire.status == Questionnaire.Status.NOT_OPENED:
            # Opened on the officer's first action (starting, saving), whichever page: a
            # GET may be a mail scanner (Safe Links) fetching the link, not a person.
            questionnaire = questionnaire_open(questionnaire=questionnaire)
        try:
            response = view(request, questionnaire, token, *args, **kwargs)
        except Http404:
            return link_not_found(request)
        return secret_page(response)

    return wrapper


def _url(name: str, token: str, *args) -> str:
    return reverse(f"submissions:{name}", args=[token, *args])


def _name_key(questionnaire: Questionnaire) -> str:
    return f"questionnaire-{questionnaire.pk}-name"


def _item(questionnaire: Questionnaire, item_id: int, items=None) -> QuestionnaireItem:
    items = items if items is not None else questionnaire_items(questionnaire=questionnaire)
    for item in items:
        if item.pk == item_id:
            return item
    raise Http404("No such item in this questionnaire.")


def _progress(items: list[QuestionnaireItem]) -> dict:
    prefilled = [item for item in items if item.partnership_id]
    done = sum(1 for item in prefilled if item.done)
    return {"done": done, "total": len(prefilled), "complete": done == len(prefilled)}


def _context(request, questionnaire: Questionnaire, token: str, **extra) -> dict:
    cycle = questionnaire.cycle
    return {
        "questionnaire": questionnaire,
        "council": questionnaire.council,
        "cycle": cycle,
        "token": token,
        "locked_reason": questionnaire_locked_reason(questionnaire),
        "past_deadline": timezone.localdate() > cycle.deadline,
        "overview_url": _url("questionnaire", token),
        **extra,
    }


@require_http_methods(["GET"])
@with_questionnaire
def questionnaire_overview(request, questionnaire, token):
    """The council's questionnaire: progress, and each partnership with its answer."""
    items = questionnaire_items(questionnaire=questionnaire)
    choices = partner_choices(items=items)
    changed_since = questionnaire.status == Questionnaire.Status.SUBMITTED and any(
        item.updated_at > questionnaire.submitted_at for item in items
    )
    return render(
        request,
        "submissions/questionnaire_overview.html",
        _context(
            request,
            questionnaire,
            token,
            items=items,
            rows=[_row(item, choices, token) for item in items if item.partnership_id],
            new_rows=[_row(item, choices, token) for item in items if not item.partnership_id],
            progress=_progress(items),
            changed_since_submit=changed_since,
        ),
    )


def _row(item: QuestionnaireItem, choices, token: str) -> dict:
    prefilled = item.prefilled or {}
    names = choices.names
    return {
        "item": item,
        "url": _url("questionnaire-item", token, item.pk),
        "published_members": [names["councils"].get(pk, "") for pk in prefilled.get("councils", [])]
        + [names["public_bodies"].get(pk, "") for pk in prefilled.get("public_bodies", [])],
        "published_categories": [
            names["categories"].get(pk, "") for pk in prefilled.get("categories", [])
        ],
        "published_status": dict(ItemForm.base_fields["status"].choices).get(
            prefilled.get("status") or "", "Not known"
        ),
        "latest_savings": _savings_text(prefilled.get("latest_savings")),
    }


def _savings_text(latest: dict | None) -> str:
    if not latest:
        return "No figure published"
    years = financial_year_label(latest["start_year"])
    if latest.get("end_year") and latest["end_year"] != latest["start_year"]:
        years = f"{years} to {financial_year_label(latest['end_year'])}"
    return f"{money_pounds(latest['amount'])} {latest.get('kind', 'achieved')}, {years}"


def _item_form(request, questionnaire, item, choices, *, data=None) -> ItemForm:
    return ItemForm(
        data,
        questionnaire=questionnaire,
        choices=choices,
        new=item.partnership_id is None,
        prefilled=item.prefilled,
        initial=item_initial(item, your_name=request.session.get(_name_key(questionnaire), "")),
        prefix=f"item{item.pk}",
    )


@require_http_methods(["GET", "POST"])
@with_questionnaire
def questionnaire_item(request, questionnaire, token, item_id):
    """One partnership: confirm it, update it or say it has ended (or edit a new one)."""
    items = questionnaire_items(questionnaire=questionnaire)
    item = _item(questionnaire, item_id, items)
    choices = partner_choices(items=items)
    locked_reason = questionnaire_locked_reason(questionnaire)
    conflict = None
    if request.method == "POST" and not locked_reason:
        form = _item_form(request, questionnaire, item, choices, data=request.POST)
        if form.is_valid():
            by_name = form.cleaned_data["your_name"].strip()
            request.session[_name_key(questionnaire)] = by_name
            try:
                item_save(
                    item=item,
                    answer=form.answer_value,
                    data=form.data_values(),
                    by_name=by_name,
                    expected_version=form.cleaned_data["version"],
                )
            except ItemConflict as error:
                conflict = error
                # Their text stays; the form now carries the saved version, so saving
                # again is a deliberate choice to replace the colleague's answer.
                data = request.POST.copy()
                data[form.add_prefix("version")] = str(error.item.version)
                form = _item_form(request, questionnaire, item, choices, data=data)
                form.is_valid()
            except QuestionnaireLocked as error:
                locked_reason = str(error)
            else:
                messages.success(request, f"Saved “{item}”.")
                return redirect(_after_save(request, token, item, items))
    else:
        form = _item_form(request, questionnaire, item, choices)
    position = items.index(item) + 1
    return render(
        request,
        "submissions/questionnaire_item.html",
        _context(
            request,
            questionnaire,
            token,
            item=item,
            row=_row(item, choices, token),
            form=form,
            errors=error_links(form) if form.is_bound and not conflict else [],
            conflict=conflict,
            locked_reason=locked_reason,
            position=position,
            count=len(items),
            action=_url("questionnaire-item", token, item.pk),
            remove_url=_url("questionnaire-item-remove", token, item.pk),
            progress=_progress(items),
        ),
        status=409 if conflict else (400 if form.is_bound and form.errors else 200),
    )


def _after_save(request, token, item, items) -> str:
    later = items[items.index(item) + 1 :]
    waiting = [i for i in later if not i.done] or [i for i in items if not i.done and i != item]
    if waiting:
        return _url("questionnaire-item", token, waiting[0].pk)
    return _url("questionnaire", token)


def _items_form(questionnaire, item, choices, *, data=None) -> ItemsForm:
    return ItemsForm(
        data,
        questionnaire=questionnaire,
        choices=choices,
        new=item.partnership_id is None,
        prefilled=item.prefilled,
        initial=item_initial(item),
        prefix=f"item{item.pk}",
    )


def _saved_words(saved: list[QuestionnaireItem]) -> str:
    names = ", ".join(f"“{item}”" for item in saved)
    return f"Saved {len(saved)} partnership{'' if len(saved) == 1 else 's'}: {names}."


def _return_to(request, token: str, items) -> str:
    """The page again, at the partnership whose own save button was pressed, if any."""
    url = _url("questionnaire-all", token)
    try:
        pressed = parse_int(request.POST.get("save", ""), what="a partnership")
    except ParseError:
        return url
    return f"{url}#item-{pressed}" if any(item.pk == pressed for item in items) else url


@require_http_methods(["GET", "POST"])
@with_questionnaire
def questionnaire_all(request, questionnaire, token):
    """Every partnership on one page, in one form: saving saves each partnership the
    officer changed, and shows the page again with every typed text kept when one of
    them is refused or a colleague saved it meanwhile (the others are saved)."""
    items = questionnaire_items(questionnaire=questionnaire)
    choices = partner_choices(items=items)
    locked_reason = questionnaire_locked_reason(questionnaire)
    your_name = {"your_name": request.session.get(_name_key(questionnaire), "")}
    name_form = SaveAllForm(initial=your_name)
    unsaved: dict[int, dict] = {}  # item id: {"conflict": ..., "refused": ...}
    saved: list[QuestionnaireItem] = []
    if request.method == "POST" and not locked_reason:
        name_form = SaveAllForm(request.POST, initial=your_name)
        forms = {
            item.pk: _items_form(questionnaire, item, choices, data=request.POST) for item in items
        }
        edited = [item for item in items if forms[item.pk].is_edited()]
        valid = [item for item in edited if forms[item.pk].is_valid()]
        unsaved = {item.pk: {} for item in edited}
        if edited and name_form.is_valid():
            by_name = name_form.cleaned_data["your_name"].strip()
            request.session[_name_key(questionnaire)] = by_name
            answers = [
                ItemAnswer(
                    item=item,
                    answer=forms[item.pk].answer_value,
                    data=forms[item.pk].data_values(),
                    version=forms[item.pk].cleaned_data["version"],
                )
                for item in valid
            ]
            try:
                result = questionnaire_items_save(
                    questionnaire=questionnaire, answers=answers, by_name=by_name
                )
            except QuestionnaireLocked as error:
                locked_reason = str(error)
            else:
                saved = [item for item in valid if item.pk in result.saved]
                for pk in result.saved:
                    del unsaved[pk]
                for pk, conflict in result.conflicts.items():
                    unsaved[pk]["conflict"] = conflict
                for pk, error in result.refused.items():
                    unsaved[pk]["refused"] = error
        if not unsaved and not locked_reason:
            if saved:
                messages.success(request, _saved_words(saved))
            else:
                messages.info(request, "Nothing had changed, so there was nothing to save.")
            return redirect(_return_to(request, token, items))
        if saved:
            messages.success(request, _saved_words(saved))
            items = questionnaire_items(questionnaire=questionnaire)
    entries, problems, conflicts = _all_entries(
        request, questionnaire, token, items, choices, name_form, unsaved
    )
    if saved and problems:
        lead = (
            "Your other changes are saved. The partnerships below are not saved yet, and "
            "everything you typed in them is still in the form: "
            + (f"these {len(problems)} things need" if len(problems) > 1 else "this needs")
            + " your attention."
        )
    else:
        lead = ""
    return render(
        request,
        "submissions/questionnaire_all.html",
        _context(
            request,
            questionnaire,
            token,
            entries=entries,
            name_form=name_form,
            errors=problems,
            error_lead=lead,
            unsaved=bool(unsaved),
            locked_reason=locked_reason,
            progress=_progress(items),
        ),
        status=409 if conflicts else (400 if problems else 200),
    )


def _all_entries(request, questionnaire, token, items, choices, name_form, unsaved):
    """Each partnership's part of the page: a fresh form from what is saved, or for one
    not saved the officer's text again, with its problem or its colleague's changes."""
    data = request.POST.copy() if unsaved else None
    entries, problems, conflicts = [], [], 0
    if name_form.is_bound:
        problems += error_links(name_form)
    for item in items:
        state = unsaved.get(item.pk)
        conflict = (state or {}).get("conflict")
        if state is None:
            form = _items_form(questionnaire, item, choices)
        else:
            prefix = f"item{item.pk}-"
            # Saving again saves it, whatever the hidden initial values now say.
            data[f"{prefix}edited"] = "1"
            if conflict:
                # The form now carries the saved version, so saving again is a
                # deliberate choice to replace the colleague's answer.
                data[f"{prefix}version"] = str(conflict.item.version)
            form = _items_form(questionnaire, item, choices, data=data)
            if form.is_valid() and state.get("refused"):
                errors_onto(form, state["refused"])
            problems += error_links((f"{item}: ", form))
            if conflict:
                conflicts += 1
                problems.append(
                    (
                        f"conflict-{item.pk}",
                        f"{item}: a colleague saved it while you were working on it; "
                        "check their changes, then save again.",
                    )
                )
        entries.append(
            {
                "item": item,
                "row": _row(item, choices, token),
                "form": form,
                "conflict": conflict,
                "conflict_id": f"conflict-{item.pk}",
                "item_url": _url("questionnaire-item", token, item.pk),
            }
        )
    return entries, problems, conflicts


@require_http_methods(["GET", "POST"])
@with_questionnaire
def questionnaire_new(request, questionnaire, token):
    """Add a new collaboration."""
    items = questionnaire_items(questionnaire=questionnaire)
    choices = partner_choices(items=items)
    locked_reason = questionnaire_locked_reason(questionnaire)
    initial = {
        "councils": [questionnaire.council_id],
        "your_name": request.session.get(_name_key(questionnaire), ""),
        "savings_recurrence": "unknown",
    }
    form = ItemForm(
        request.POST if request.method == "POST" else None,
        questionnaire=questionnaire,
        choices=choices,
        new=True,
        initial=initial,
        prefix="new",
    )
    if request.method == "POST" and not locked_reason and form.is_valid():
        by_name = form.cleaned_data["your_name"].strip()
        request.session[_name_key(questionnaire)] = by_name
        try:
            item = item_add(questionnaire=questionnaire, data=form.data_values(), by_name=by_name)
        except QuestionnaireLocked as error:
            locked_reason = str(error)
        else:
            messages.success(request, f"Added “{item}”. Add another, or go back to the list.")
            return redirect(_url("questionnaire", token))
    return render(
        request,
        "submissions/questionnaire_new.html",
        _context(
            request,
            questionnaire,
            token,
            form=form,
            errors=error_links(form) if form.is_bound else [],
            locked_reason=locked_reason,
            action=_url("questionnaire-new", token),
            progress=_progress(items),
        ),
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@with_questionnaire
def questionnaire_item_remove(request, questionnaire, token, item_id):
    """Take a new collaboration out again."""
    item = _item(questionnaire, item_id)
    if item.partnership_id is not None:
        raise Http404("Only a new collaboration can be removed.")
    try:
        item_remove(item=item, by_name=request.session.get(_name_key(questionnaire), ""))
    except QuestionnaireLocked as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Removed “{item}”.")
    return redirect(_url("questionnaire", token))


def _summary(items, cycle, token) -> list[dict]:
    """Each item's answers, question by question, each with the address of its field on
    the item's page; and what the answers will ask the LGA to change, in words."""
    labels = dict(ProposedChange.Kind.choices)
    summary = []
    for item in items:
        page = _url("questionnaire-item", token, item.pk)
        rows = [
            {
                "question": row.question,
                "answer": row.answer,
                "url": f"{page}#id_item{item.pk}-{row.field}" if row.field else "",
            }
            for row in answer_rows(item, year_label=cycle.year_label)
        ]
        changes = [labels[kind] for kind, _ in item_proposals(item, year=cycle.financial_year)]
        summary.append({"item": item, "rows": rows, "changes": changes, "url": page})
    return summary


@require_http_methods(["GET", "POST"])
@with_questionnaire
def questionnaire_submit_view(request, questionnaire, token):
    """Check the answers and send them to the LGA."""
    items = questionnaire_items(questionnaire=questionnaire)
    locked_reason = questionnaire_locked_reason(questionnaire)
    progress = _progress(items)
    initial = {
        "name": request.session.get(_name_key(questionnaire), ""),
        "version": questionnaire.version,
    }
    form = SubmitForm(request.POST if request.method == "POST" else None, initial=initial)
    notice = ""
    if request.method == "POST" and not locked_reason and form.is_valid():
        try:
            questionnaire_submit(
                questionnaire=questionnaire,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                expected_version=form.cleaned_data["version"],
                link=request.build_absolute_uri(_url("questionnaire", token)),
                site_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except QuestionnaireChanged:
            notice = (
                "A colleague has changed the answers since you opened this page. Check the "
                "summary below, then submit again."
            )
            data = request.POST.copy()
            data["version"] = str(questionnaire.version)
            form = SubmitForm(data)
            form.is_valid()
        except QuestionnaireLocked as error:
            locked_reason = str(error)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            request.session[_name_key(questionnaire)] = form.cleaned_data["name"]
            messages.success(
                request,
                "Thank you: your answers have been sent to the LGA. We have emailed a "
                f"confirmation to {form.cleaned_data['email']}.",
            )
            return redirect(_url("questionnaire", token))
    return render(
        request,
        "submissions/questionnaire_submit.html",
        _context(
            request,
            questionnaire,
            token,
            form=form,
            errors=error_links(form) if form.is_bound else [],
            notice=notice,
            locked_reason=locked_reason,
            summary=_summary(items, questionnaire.cycle, token),
            unanswered=[
                (item, _url("questionnaire-item", token, item.pk))
                for item in items
                if not item.done
            ],
            progress=progress,
        ),
        status=400 if form.is_bound and form.errors else 200,
    )
